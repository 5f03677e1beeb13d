/**
 * What the user item keeps of the user's current subscription, written by the payments ledger with
 * the package: the one giving the highest package, else the one it heard of last.
 */
export interface SubscriptionSummary {
  /** The subscription's grant key (its Stripe id); never shown to the user. */
  key: string;
  packageId: number;
  /** Stripe's status as last read from Stripe. */
  status: string;
  /** End of the paid period (Unix seconds). */
  periodEnd: number;
  cancelAtPeriodEnd: boolean;
}

/** Why a subscriber has no access from their subscription any more, as the 402 body says it. */
export type SubscriptionLapse = 'subscription_past_due' | 'subscription_ended';

/** The subscription as `GET /users/me` shows it, before its package is named. */
export interface SubscriptionView {
  packageId: number;
  status: string;
  /** ISO 8601 end of the period, when the subscription renews then; null when it will not. */
  renewsAt: string | null;
  cancelAtPeriodEnd: boolean;
}

// Stripe bills these again at the period end (a past_due one keeps retrying and rolls over too).
const RENEWING = new Set(['active', 'trialing', 'past_due']);

export function subscriptionView(summary: SubscriptionSummary): SubscriptionView {
  const renews = RENEWING.has(summary.status) && !summary.cancelAtPeriodEnd;
  return {
    packageId: summary.packageId,
    status: summary.status,
    renewsAt: renews ? new Date(summary.periodEnd * 1000).toISOString() : null,
    cancelAtPeriodEnd: summary.cancelAtPeriodEnd,
  };
}

/**
 * Whether the user's subscription stopped giving its package, and why: `past_due` once the grace is
 * over; ended when it was canceled, unpaid, expired or paused, or its access ran out at the period end
 * (with or without an event). Null while it gives access, when the user never had one, when it never
 * started (`incomplete`), and when staff took the grant away (that is not the subscription's doing).
 */
export function subscriptionLapse(
  summary: SubscriptionSummary | null,
  stored: { grants: Record<string, number>; grantUntil: Record<string, number> },
  now: number,
): SubscriptionLapse | null {
  if (!summary || summary.status === 'incomplete') return null;
  const granted = stored.grants[summary.key];
  const until = stored.grantUntil[summary.key];
  if (granted !== undefined && granted > 0 && until !== undefined && until > now) return null;
  // Lapsed grants stay in the map at 0 (they may resume); a grant revoked by staff leaves it.
  if (granted === undefined && (summary.status === 'active' || summary.status === 'trialing')) return null;
  return summary.status === 'past_due' ? 'subscription_past_due' : 'subscription_ended';
}

export function sameSummary(a: SubscriptionSummary | null, b: SubscriptionSummary | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.key === b.key &&
    a.packageId === b.packageId &&
    a.status === b.status &&
    a.periodEnd === b.periodEnd &&
    a.cancelAtPeriodEnd === b.cancelAtPeriodEnd
  );
}
