import type { SubscriptionLapse } from '../users/user-subscription.js';

/** What the guard needs of a caller: their package, and why their subscription lapsed if it did. */
export interface Entitlement {
  readonly packageId: number;
  readonly lapse: SubscriptionLapse | null;
}

// One shared object per (package, lapse): a cache of many callers holds references to a handful of
// these, no bigger than the numbers it held before the lapse was known.
const shared = new Map<string, Entitlement>();

export function entitlement(packageId: number, lapse: SubscriptionLapse | null = null): Entitlement {
  const key = `${packageId}:${lapse ?? ''}`;
  let found = shared.get(key);
  if (!found) {
    found = Object.freeze({ packageId, lapse });
    shared.set(key, found);
  }
  return found;
}
