import { invalidRequest, noSuch, ok, type StandInAnswer } from './answers.js';
import { stripeId, type StandInClock } from './clock.js';
import type { PriceObject } from './prices.js';
import { arrayParam } from './request.js';

/** What a subscription invoice is for: one period of one item at one price. */
export interface InvoiceFor {
  subscription: string;
  subscriptionItem: string;
  customer: string;
  metadata: Record<string, string>;
  price: PriceObject;
  period: { start: number; end: number };
  reason: 'subscription_create' | 'subscription_cycle';
  /** Trials open with a paid invoice for nothing. */
  amount: number;
}

/** The fields of a v1 `invoice` a subscription generates, in the 2025+ ("basil") shape. */
function invoiceObject(of: InvoiceFor, id: string, created: number) {
  return {
    id,
    object: 'invoice' as const,
    amount_due: of.amount,
    amount_paid: 0,
    amount_remaining: of.amount,
    attempt_count: 0,
    attempted: false,
    billing_reason: of.reason,
    collection_method: 'charge_automatically' as const,
    created,
    currency: of.price.currency,
    customer: of.customer,
    lines: {
      object: 'list' as const,
      data: [lineItem(of, id)],
      has_more: false,
      url: `/v1/invoices/${id}/lines`,
    },
    livemode: false,
    metadata: {},
    next_payment_attempt: null as number | null,
    parent: {
      type: 'subscription_details' as const,
      quote_details: null,
      subscription_details: { metadata: { ...of.metadata }, subscription: of.subscription },
    },
    period_start: of.period.start,
    period_end: of.period.end,
    status: 'open' as 'open' | 'paid',
    status_transitions: {
      finalized_at: created,
      marked_uncollectible_at: null,
      paid_at: null as number | null,
      voided_at: null,
    },
    subtotal: of.amount,
    total: of.amount,
  };
}

function lineItem(of: InvoiceFor, invoice: string) {
  return {
    id: stripeId('il'),
    object: 'line_item' as const,
    amount: of.amount,
    currency: of.price.currency,
    description: `1 × ${of.price.id}`,
    invoice,
    livemode: false,
    metadata: {},
    parent: {
      type: 'subscription_item_details' as const,
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: null,
        proration: false,
        proration_details: { credited_items: null },
        subscription: of.subscription,
        subscription_item: of.subscriptionItem,
      },
    },
    period: { ...of.period },
    pricing: {
      type: 'price_details' as const,
      price_details: { price: of.price.id, product: of.price.product },
      unit_amount_decimal: String(of.amount),
    },
    quantity: 1,
    subtotal: of.amount,
  };
}

export type InvoiceObject = ReturnType<typeof invoiceObject>;

/** The one payment (a PaymentIntent) that pays or tries to pay an invoice. */
interface InvoicePayment {
  id: string;
  paymentIntent: string;
  amount: number;
}

/** Subscription invoices: paid at once, or left open after a failed attempt. */
export class StandInInvoices {
  private readonly byId = new Map<string, { invoice: InvoiceObject; payment: InvoicePayment }>();

  constructor(private readonly clock: StandInClock) {}

  /** A finalized invoice, paid through a new PaymentIntent, or `open` after one failed attempt. */
  issue(of: InvoiceFor, outcome: 'paid' | 'failed'): InvoiceObject {
    const now = this.clock.now();
    const invoice = invoiceObject(of, stripeId('in'), now);
    const payment = { id: stripeId('inpay'), paymentIntent: stripeId('pi'), amount: of.amount };
    this.byId.set(invoice.id, { invoice, payment });
    invoice.attempted = true;
    invoice.attempt_count = 1;
    if (outcome === 'paid') this.markPaid(invoice);
    // Stripe's Smart Retries try a failed renewal again days later.
    else invoice.next_payment_attempt = now + 3 * 24 * 3600;
    return invoice;
  }

  /** A later attempt at an open invoice succeeded. */
  pay(id: string): InvoiceObject {
    const invoice = this.get(id);
    if (invoice.status === 'paid') throw new Error(`invoice ${id} is paid already`);
    invoice.attempt_count += 1;
    this.markPaid(invoice);
    return invoice;
  }

  get(id: string): InvoiceObject {
    const entry = this.byId.get(id);
    if (!entry) throw new Error(`the stand-in has no invoice ${id}`);
    return entry.invoice;
  }

  /** `GET /v1/invoices/:id`; `payments` is includable: present only when expanded. */
  retrieve(id: string, params: URLSearchParams): StandInAnswer {
    const entry = this.byId.get(id);
    if (!entry) return noSuch('invoice', id, 'invoice');
    const expand = arrayParam(params, 'expand');
    const unknown = expand.find((path) => !EXPANDABLE.includes(path));
    if (unknown) return invalidRequest(`This property cannot be expanded (${unknown}).`, { param: 'expand' });
    if (expand.length === 0) return ok(entry.invoice);
    const withIntent = expand.includes('payments.data.payment.payment_intent');
    return ok({ ...entry.invoice, payments: this.paymentsOf(entry.invoice, entry.payment, withIntent) });
  }

  clear(): void {
    this.byId.clear();
  }

  private markPaid(invoice: InvoiceObject): void {
    invoice.status = 'paid';
    invoice.amount_paid = invoice.amount_due;
    invoice.amount_remaining = 0;
    invoice.next_payment_attempt = null;
    invoice.status_transitions.paid_at = this.clock.now();
  }

  private paymentsOf(invoice: InvoiceObject, payment: InvoicePayment, expandIntent: boolean) {
    const paid = invoice.status === 'paid';
    const intent = {
      id: payment.paymentIntent,
      object: 'payment_intent' as const,
      amount: payment.amount,
      currency: invoice.currency,
      customer: invoice.customer,
      metadata: {},
      status: paid ? 'succeeded' : 'requires_payment_method',
    };
    const invoicePayment = {
      id: payment.id,
      object: 'invoice_payment' as const,
      amount_paid: paid ? payment.amount : null,
      amount_requested: payment.amount,
      created: invoice.created,
      currency: invoice.currency,
      invoice: invoice.id,
      is_default: true,
      livemode: false,
      payment: { type: 'payment_intent' as const, payment_intent: expandIntent ? intent : intent.id },
      status: paid ? 'paid' : 'open',
      status_transitions: { canceled_at: null, paid_at: invoice.status_transitions.paid_at },
    };
    return { object: 'list' as const, data: [invoicePayment], has_more: false, url: '/v1/invoice_payments' };
  }
}

const EXPANDABLE = ['payments', 'payments.data.payment.payment_intent'];
