import type { Email } from '../../common/email.js';

/**
 * Which Stripe Customer is whose: one per user, recorded once and never replaced, and findable from
 * either side. An abstract class to serve as the DI token.
 */
export abstract class CustomerDirectory {
  /** The user's Stripe customer id, strongly consistent; null before their first checkout. */
  abstract customerOf(email: Email): Promise<string | null>;

  /**
   * Records `customerId` as the user's (creating the user if needed) unless one is recorded already;
   * returns the id in force, which is the earlier one if another writer got there first.
   */
  abstract claim(email: Email, customerId: string): Promise<string>;

  /** The user a customer was recorded for; null for a customer packgate did not record. */
  abstract userOf(customerId: string): Promise<Email | null>;
}
