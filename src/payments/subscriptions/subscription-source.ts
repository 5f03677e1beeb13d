/** A subscription as Stripe holds it now: what packgate needs of it, read at the moment it is asked. */
export interface SubscriptionSnapshot {
  id: string;
  status: string;
  customer: string | null;
  metadata: Record<string, string>;
  /** The price of its (first) item: which package it buys. */
  priceId: string | null;
  /** End of the paid period (Unix seconds), from `items.data[].current_period_end`. */
  periodEnd: number;
  cancelAtPeriodEnd: boolean;
  /** A scheduled cancellation time (Unix seconds), if any. */
  cancelAt: number | null;
  /** When its latest invoice was created (Unix seconds): the failed one while `past_due`. */
  latestInvoiceCreated: number | null;
}

/** What a paid subscription invoice paid for: the period (its end, Unix seconds) and the payment intents. */
export interface PaidPeriod {
  periodEnd: number;
  paymentIntents: string[];
}

/**
 * Where subscriptions' current state comes from (Stripe's API). Throws DependencyUnavailableError when
 * Stripe cannot be reached, and returns null for a subscription Stripe does not know.
 */
export abstract class SubscriptionSource {
  abstract current(subscriptionId: string): Promise<SubscriptionSnapshot | null>;

  /**
   * The period a paid invoice paid for and the payment intents that paid it (since Stripe's 2025 API
   * versions a charge no longer names its invoice: this is how a refund finds its subscription).
   */
  abstract paidPeriod(invoiceId: string): Promise<PaidPeriod | null>;
}
