import type { SubscriptionLapse } from './user-subscription.js';

/** What the users table keeps of a user's package, as the ledger (or a writer outside it) left it. */
export interface StoredAccess {
  /** `package_id` as written. */
  packageId: number;
  /** The ledger's grants: key → package id. */
  grants: Record<string, number>;
  /** Time-bounded grants (subscriptions): key → when their access ends (Unix ms). */
  grantUntil: Record<string, number>;
}

/** A package and until when it holds without a write (Unix ms; null: until something changes it). */
export interface PackageAccess {
  packageId: number;
  until: number | null;
  /** Whether (and why) the user's subscription stopped giving its package; absent or null: it did not. */
  lapse?: SubscriptionLapse | null;
}

/** When the first time-bounded grant that gives a package lapses; null when none does. */
export function firstLapse(
  grants: Record<string, number>,
  grantUntil: Record<string, number>,
): number | null {
  const ends = Object.entries(grantUntil)
    .filter(([key]) => (grants[key] ?? 0) > 0)
    .map(([, until]) => until);
  return ends.length > 0 ? Math.min(...ends) : null;
}

/**
 * The package a user holds at `now`: `package_id` as written until the first time-bounded grant in it
 * lapses (so a package set by hand is honoured as it always was), and from then the highest grant
 * whose access has not ended, without waiting for any event.
 */
export function packageAt(stored: StoredAccess, now: number): PackageAccess {
  const lapse = firstLapse(stored.grants, stored.grantUntil);
  if (lapse === null || now < lapse) return { packageId: stored.packageId, until: lapse };
  let packageId = 0;
  let until: number | null = null;
  for (const [key, granted] of Object.entries(stored.grants)) {
    const ends = stored.grantUntil[key];
    if (ends !== undefined && ends <= now) continue;
    packageId = Math.max(packageId, granted);
    if (ends !== undefined && granted > 0) until = Math.min(until ?? ends, ends);
  }
  return { packageId, until };
}

/**
 * The ledger's view of a user's grants at `now`: a time-bounded grant whose access has ended counts
 * as one that may come back (0), and its end leaves `grantUntil`. `package_id` stays as written.
 */
export function withoutLapsed<T extends Omit<StoredAccess, 'packageId'>>(stored: T, now: number): T {
  const lapsed = Object.keys(stored.grantUntil).filter((key) => stored.grantUntil[key] <= now);
  if (lapsed.length === 0) return stored;
  const grants = { ...stored.grants };
  const grantUntil = { ...stored.grantUntil };
  for (const key of lapsed) {
    if (key in grants) grants[key] = 0;
    delete grantUntil[key];
  }
  return { ...stored, grants, grantUntil };
}
