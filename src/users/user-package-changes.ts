import { Injectable } from '@nestjs/common';
import type { Email } from '../common/email.js';
import type { SubscriptionLapse } from './user-subscription.js';

/** A committed change of a user's package; `packageId` null when this instance cannot know the value. */
export interface PackageNotice {
  email: Email;
  packageId: number | null;
  /** When that package lapses without another change (a subscription's end; Unix ms), if it does. */
  until?: number | null;
  /** Whether (and why) the user's subscription stopped giving its package, as of the change. */
  lapse?: SubscriptionLapse | null;
}

type Listener = (notice: PackageNotice) => void;

/**
 * In-process notice of every committed package change (from setUserPackage and the payments ledger),
 * so caches on this instance see an upgrade at once.
 */
@Injectable()
export class UserPackageChanges {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The package is now `packageId`, until `until` if a time-bounded grant gives it. */
  publish(
    email: Email,
    packageId: number,
    until: number | null = null,
    lapse: SubscriptionLapse | null = null,
  ): void {
    this.notify({ email, packageId, until, lapse });
  }

  /** The package may have changed to a value not known here: caches must read it again. */
  publishUnknown(email: Email): void {
    this.notify({ email, packageId: null });
  }

  private notify(notice: PackageNotice): void {
    for (const listener of this.listeners) listener(notice);
  }
}
