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

/**
 * Where subscriptions' current state comes from (Stripe's API). Throws DependencyUnavailableError when
 * Stripe cannot be reached, and returns null for a subscription Stripe does not know.
 */
export abstract class SubscriptionSource {
  abstract current(subscriptionId: string): Promise<SubscriptionSnapshot | null>;
}
