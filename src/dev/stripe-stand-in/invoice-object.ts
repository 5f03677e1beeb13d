import { stripeId } from './ids.js';
import type { PriceObject } from './prices.js';

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
export function invoiceObject(of: InvoiceFor, id: string, created: number) {
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
