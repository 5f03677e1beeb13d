import type { UserPackageState } from '../../users/user.js';
import type { SubscriptionSummary } from '../../users/user-subscription.js';
import { withGrant, withGrantUntil, type Grant } from '../ledger/grant.js';

/** What the user item is to say of a subscription grant just read from Stripe. */
export function summaryOf(grant: Grant): SubscriptionSummary | null {
  const { subscription, packageId } = grant;
  if (!subscription || packageId === undefined) return null;
  return {
    key: grant.key,
    packageId,
    status: subscription.status,
    periodEnd: subscription.periodEnd,
    cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
  };
}

/**
 * The user's current subscription once `grant` (a subscription just read from Stripe) is written:
 * the one giving the highest package now, else the one heard of last. `state` is the user's as of now
 * (lapsed grants at 0); another subscription that gives more is summarised from its grant item.
 */
export async function subscriptionAfter(
  state: UserPackageState | null,
  grant: Grant,
  readGrant: (key: string) => Promise<Grant | null>,
): Promise<SubscriptionSummary | null> {
  const grants = withGrant(state?.grants ?? {}, grant);
  const chosen = currentSubscription(state?.subscription ?? null, grant, grants);
  const until = withGrantUntil(state?.grantUntil ?? {}, grant);
  const higher = higherSubscriptionKey(grants, until, chosen ? (grants[chosen.key] ?? 0) : 0);
  if (!higher) return chosen;
  const other = await readGrant(higher);
  return (other && summaryOf(other)) ?? chosen;
}

/**
 * Between the recorded subscription and the one just read: the one giving the higher package now
 * (`grants`: the user's grants after the change), else the one just read.
 */
export function currentSubscription(
  recorded: SubscriptionSummary | null,
  grant: Grant,
  grants: Record<string, number>,
): SubscriptionSummary | null {
  const read = summaryOf(grant);
  if (!recorded || !read || recorded.key === grant.key) return read ?? recorded;
  return (grants[recorded.key] ?? 0) > (grants[grant.key] ?? 0) ? recorded : read;
}

/**
 * The subscription giving the highest package, if it gives more than `than`: `grants` and
 * `grantUntil` as they will be written (only subscriptions have an end of access).
 */
export function higherSubscriptionKey(
  grants: Record<string, number>,
  grantUntil: Record<string, number>,
  than: number,
): string | null {
  let best: string | null = null;
  for (const key of Object.keys(grantUntil)) {
    if ((grants[key] ?? 0) > (best === null ? than : grants[best])) best = key;
  }
  return best;
}
