import { Injectable } from '@nestjs/common';
import { normalizeEmail } from '../common/email.js';
import type { SubscriptionLapse } from '../users/user-subscription.js';
import { EntitlementsService } from './entitlements.service.js';
import { PackageCatalog } from './package-catalog.js';

/** A user's access as PaymentGuard sees it. */
export interface UserAccess {
  readonly packageId: number;
  /** The package's name in the catalog ("none" for 0). */
  readonly package: string;
  /** Why a subscription stopped giving access, when it did. */
  readonly lapse: SubscriptionLapse | null;
}

/**
 * Read-only questions an app built on packgate may ask about any user (a background job, a route
 * without @RequiresPackage), answered exactly as the guard would, through its cache. Changing a
 * package stays with the ledger: payments and staff.
 */
@Injectable()
export class Entitlements {
  constructor(
    private readonly entitlements: EntitlementsService,
    private readonly catalog: PackageCatalog,
  ) {}

  /** Throws InvalidEmailError (400) for an address packgate cannot store, DependencyUnavailableError (503). */
  async accessOf(email: string): Promise<UserAccess> {
    const { packageId, lapse } = await this.entitlements.entitlementOf(normalizeEmail(email));
    return { packageId, package: this.catalog.nameOf(packageId), lapse };
  }

  /** Whether `email` passes `@RequiresPackage(ref)`; `ref` omitted means any paid package. */
  async hasPackage(email: string, ref?: string | number): Promise<boolean> {
    const required = this.catalog.resolve(ref ?? null);
    if (!required) throw new Error(`hasPackage: no package ${JSON.stringify(ref)} in PACKAGES`);
    return (await this.accessOf(email)).packageId >= required.id;
  }
}
