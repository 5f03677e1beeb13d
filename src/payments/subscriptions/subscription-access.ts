import type { SubscriptionsConfig } from '../../config/app-config.js';
import type { SubscriptionSnapshot } from './subscription-source.js';

/** What a subscription grant records of its subscription, refreshed from Stripe at every event. */
export interface SubscriptionState {
  status: string;
  /** Until when it gives access (Unix ms; 0: it does not). */
  accessUntil: number;
  /** End of the paid period (Unix seconds). */
  periodEnd: number;
  cancelAtPeriodEnd: boolean;
  /** While `past_due`: when the failed invoice was made (Unix seconds), from which the grace counts. */
  pastDueSince: number | null;
}

// Statuses that can never give access again: a new subscription is a new grant.
const ENDED = new Set(['canceled', 'incomplete_expired']);

/**
 * Status → access. `active` and `trialing` give access to the period end — exactly, when it is set to
 * cancel then; plus `renewalSlackMs` when it renews, so a lost renewal event does not cut a paying user
 * off, nor keep a lapsed one in for long. `past_due` gives access for `graceMs` from the failed invoice.
 * Everything else (`unpaid`, `canceled`, `incomplete`, `incomplete_expired`, `paused`) gives none.
 */
export function subscriptionState(
  snapshot: SubscriptionSnapshot,
  config: SubscriptionsConfig,
): SubscriptionState {
  const periodEndMs = snapshot.periodEnd * 1000;
  const pastDueSince =
    snapshot.status === 'past_due' ? (snapshot.latestInvoiceCreated ?? snapshot.periodEnd) : null;
  let accessUntil = 0;
  if (snapshot.status === 'active' || snapshot.status === 'trialing') {
    accessUntil = snapshot.cancelAtPeriodEnd ? periodEndMs : periodEndMs + config.renewalSlackMs;
    if (snapshot.cancelAt) accessUntil = Math.min(accessUntil, snapshot.cancelAt * 1000);
  } else if (pastDueSince !== null) {
    accessUntil = pastDueSince * 1000 + config.graceMs;
  }
  return {
    status: snapshot.status,
    accessUntil,
    periodEnd: snapshot.periodEnd,
    cancelAtPeriodEnd: snapshot.cancelAtPeriodEnd,
    pastDueSince,
  };
}

/** Whether the subscription may give access again later (it has not ended for good). */
export const subscriptionMayResume = (state: SubscriptionState) => !ENDED.has(state.status);
