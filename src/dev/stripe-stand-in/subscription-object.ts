import { stripeId } from './ids.js';
import type { PriceObject } from './prices.js';

export type SubscriptionStatus =
  'incomplete' | 'incomplete_expired' | 'trialing' | 'active' | 'past_due' | 'canceled' | 'unpaid' | 'paused';

export interface NewSubscription {
  customer: string;
  price: PriceObject;
  metadata: Record<string, string>;
  status: SubscriptionStatus;
  created: number;
  /** The first period: the trial, or the first paid interval. */
  period: { start: number; end: number };
  trial: { start: number; end: number } | null;
}

/**
 * The fields of a v1 `subscription` with one item, in the 2025+ ("basil") shape: the billing period
 * is on each item (`items.data[].current_period_start/end`), no longer on the subscription.
 */
export function subscriptionObject(of: NewSubscription) {
  const id = stripeId('sub');
  return {
    id,
    object: 'subscription' as const,
    application: null,
    billing_cycle_anchor: of.trial ? of.trial.end : of.period.start,
    cancel_at: null as number | null,
    cancel_at_period_end: false,
    canceled_at: null as number | null,
    cancellation_details: { comment: null, feedback: null, reason: null as string | null },
    collection_method: 'charge_automatically' as const,
    created: of.created,
    currency: of.price.currency,
    customer: of.customer,
    days_until_due: null,
    default_payment_method: null,
    description: null,
    discounts: [] as string[],
    ended_at: null as number | null,
    items: {
      object: 'list' as const,
      data: [
        {
          id: stripeId('si', 14),
          object: 'subscription_item' as const,
          created: of.created,
          current_period_start: of.period.start,
          current_period_end: of.period.end,
          discounts: [] as string[],
          metadata: {} as Record<string, string>,
          price: of.price,
          quantity: 1,
          subscription: id,
          tax_rates: [] as unknown[],
        },
      ],
      has_more: false,
      total_count: 1,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: null as string | null,
    livemode: false,
    metadata: of.metadata,
    pause_collection: null,
    start_date: of.created,
    status: of.status,
    test_clock: null,
    trial_end: of.trial?.end ?? null,
    trial_start: of.trial?.start ?? null,
  };
}

export type SubscriptionObject = ReturnType<typeof subscriptionObject>;

/**
 * The end of the period that starts at `from`: one interval later on the anchor's day of the month,
 * or the month's last day when it is shorter (an anchor on the 31st renews on 28 or 29 February).
 */
export function periodEnd(from: number, interval: 'month' | 'year', anchorDay: number): number {
  const start = new Date(from * 1000);
  const months = interval === 'year' ? 12 : 1;
  const year = start.getUTCFullYear();
  const month = start.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const end = Date.UTC(
    year,
    month,
    Math.min(anchorDay, lastDay),
    start.getUTCHours(),
    start.getUTCMinutes(),
    start.getUTCSeconds(),
  );
  return end / 1000;
}

/** The day of the month (UTC) renewals fall on. */
export const anchorDayOf = (anchor: number) => new Date(anchor * 1000).getUTCDate();
