import type { Email } from '../../common/email.js';

/** Statuses in which a subscription still bills the user (past_due: Stripe is retrying a payment). */
export const SUBSCRIPTION_STATUSES_IN_FORCE = ['active', 'trialing', 'past_due'] as const;

export interface ExistingSubscription {
  id: string;
  status: (typeof SUBSCRIPTION_STATUSES_IN_FORCE)[number];
}

/**
 * Whether a user already has a subscription in force, so that a second subscription checkout would
 * bill them twice: plan changes go through Stripe's portal instead. An abstract class to serve as the
 * DI token, so the answer can come from Stripe or from what the ledger recorded.
 */
export abstract class ExistingSubscriptions {
  /** One subscription of the user's in force, or null. */
  abstract inForceFor(email: Email): Promise<ExistingSubscription | null>;
}
