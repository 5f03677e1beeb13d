import { invalidRequest, noSuch, ok, type StandInAnswer } from './answers.js';
import type { StandInClock } from './clock.js';
import type { StandInCustomers } from './customers.js';
import type { InvoiceObject } from './invoice-object.js';
import type { StandInInvoices } from './invoices.js';
import type { PriceObject, StandInPrices } from './prices.js';
import { arrayParam } from './request.js';
import {
  anchorDayOf,
  periodEnd,
  subscriptionObject,
  type SubscriptionObject,
  type SubscriptionStatus,
} from './subscription-object.js';

export interface CreateSubscription {
  customer: string;
  /** A recurring price the test defined. */
  price: string;
  metadata?: Record<string, string>;
  /** `active` unless given, or `trialing` with `trialDays`; unpaid statuses leave the first invoice open. */
  status?: SubscriptionStatus;
  trialDays?: number;
}

/** What a customer can change in the portal (or staff in the dashboard). */
export interface SubscriptionPatch {
  price?: string;
  cancelAtPeriodEnd?: boolean;
  status?: SubscriptionStatus;
}

export interface Renewal {
  subscription: SubscriptionObject;
  invoice: InvoiceObject;
}

const UNPAID_AT_START: SubscriptionStatus[] = ['incomplete', 'incomplete_expired', 'past_due', 'unpaid'];
const DAY_S = 24 * 3600;

/** Subscriptions with one item, moved through their life by the test as Stripe would move them. */
export class StandInSubscriptions {
  readonly all: SubscriptionObject[] = [];

  constructor(
    private readonly clock: StandInClock,
    private readonly customers: StandInCustomers,
    private readonly prices: StandInPrices,
    private readonly invoices: StandInInvoices,
  ) {}

  create(input: CreateSubscription): Renewal {
    if (!this.customers.usable(input.customer)) {
      throw new Error(`the stand-in has no (live) customer ${input.customer}`);
    }
    const price = this.recurringPrice(input.price);
    const now = this.clock.now();
    const trial = input.trialDays ? { start: now, end: now + input.trialDays * DAY_S } : null;
    const period = trial ?? { start: now, end: periodEnd(now, price.recurring.interval, anchorDayOf(now)) };
    const status = input.status ?? (trial ? 'trialing' : 'active');
    const subscription = subscriptionObject({
      customer: input.customer,
      price,
      metadata: { ...input.metadata },
      status,
      created: now,
      period,
      trial,
    });
    this.all.push(subscription);
    const invoice = this.invoices.issue(
      this.invoice(subscription, 'subscription_create', trial ? 0 : price.unit_amount),
      outcomeOf(status),
    );
    subscription.latest_invoice = invoice.id;
    return { subscription, invoice };
  }

  update(id: string, patch: SubscriptionPatch): SubscriptionObject {
    const subscription = this.live(id);
    const [item] = subscription.items.data;
    if (patch.price !== undefined) item.price = this.recurringPrice(patch.price);
    if (patch.cancelAtPeriodEnd !== undefined) {
      const cancelling = patch.cancelAtPeriodEnd;
      subscription.cancel_at_period_end = cancelling;
      subscription.cancel_at = cancelling ? item.current_period_end : null;
      subscription.canceled_at = cancelling ? this.clock.now() : null;
      subscription.cancellation_details.reason = cancelling ? 'cancellation_requested' : null;
    }
    if (patch.status === 'canceled') return this.cancel(id);
    if (patch.status !== undefined) subscription.status = patch.status;
    return subscription;
  }

  /** The next period begins and its invoice is paid (or, `failed`, left open: `past_due`). */
  renew(id: string, outcome: 'paid' | 'failed'): Renewal {
    const subscription = this.live(id);
    if (subscription.cancel_at_period_end) {
      throw new Error(`${id} ends at its period end: cancelSubscription() it instead of renewing`);
    }
    const [item] = subscription.items.data;
    const interval = item.price.recurring?.interval ?? 'month';
    item.current_period_start = item.current_period_end;
    item.current_period_end = periodEnd(
      item.current_period_start,
      interval,
      anchorDayOf(subscription.billing_cycle_anchor),
    );
    const invoice = this.invoices.issue(
      this.invoice(subscription, 'subscription_cycle', item.price.unit_amount),
      outcome,
    );
    subscription.latest_invoice = invoice.id;
    subscription.status = outcome === 'paid' ? 'active' : 'past_due';
    return { subscription, invoice };
  }

  /** A retry of the open latest invoice succeeded: the subscription is active again. */
  payLatestInvoice(id: string): Renewal {
    const subscription = this.live(id);
    const invoice = this.invoices.pay(subscription.latest_invoice ?? '');
    subscription.status = 'active';
    return { subscription, invoice };
  }

  /** Canceled now (immediately, or at the end of a period it was set to cancel at). */
  cancel(id: string): SubscriptionObject {
    const subscription = this.live(id);
    const now = this.clock.now();
    subscription.status = 'canceled';
    subscription.canceled_at = subscription.cancel_at_period_end ? (subscription.canceled_at ?? now) : now;
    subscription.ended_at = now;
    subscription.cancellation_details.reason = 'cancellation_requested';
    return subscription;
  }

  get(id: string): SubscriptionObject {
    const subscription = this.all.find((s) => s.id === id);
    if (!subscription) throw new Error(`the stand-in has no subscription ${id}`);
    return subscription;
  }

  retrieve(id: string, params: URLSearchParams): StandInAnswer {
    const subscription = this.all.find((s) => s.id === id);
    if (!subscription) return noSuch('subscription', id, 'id');
    const expand = arrayParam(params, 'expand');
    const unknown = expand.find((path) => path !== 'latest_invoice');
    if (unknown) return invalidRequest(`This property cannot be expanded (${unknown}).`, { param: 'expand' });
    if (expand.length === 0 || !subscription.latest_invoice) return ok(subscription);
    return ok({ ...subscription, latest_invoice: this.invoices.get(subscription.latest_invoice) });
  }

  clear(): void {
    this.all.length = 0;
  }

  private live(id: string): SubscriptionObject {
    const subscription = this.get(id);
    if (subscription.status === 'canceled' || subscription.status === 'incomplete_expired') {
      throw new Error(`${id} is ${subscription.status}: Stripe changes nothing on it any more`);
    }
    return subscription;
  }

  private recurringPrice(id: string): PriceObject & { recurring: NonNullable<PriceObject['recurring']> } {
    const price = this.prices.get(id);
    if (!price.recurring) throw new Error(`price ${id} is one-time: a subscription needs a recurring price`);
    return price as PriceObject & { recurring: NonNullable<PriceObject['recurring']> };
  }

  private invoice(
    subscription: SubscriptionObject,
    reason: 'subscription_create' | 'subscription_cycle',
    amount: number,
  ) {
    const [item] = subscription.items.data;
    return {
      subscription: subscription.id,
      subscriptionItem: item.id,
      customer: subscription.customer,
      metadata: subscription.metadata,
      price: item.price,
      period: { start: item.current_period_start, end: item.current_period_end },
      reason,
      amount,
    };
  }
}

const outcomeOf = (status: SubscriptionStatus) => (UNPAID_AT_START.includes(status) ? 'failed' : 'paid');
