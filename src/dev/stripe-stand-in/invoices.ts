import { invalidRequest, noSuch, ok, type StandInAnswer } from './answers.js';
import type { StandInClock } from './clock.js';
import { stripeId } from './ids.js';
import { invoiceObject, type InvoiceFor, type InvoiceObject } from './invoice-object.js';
import { arrayParam } from './request.js';

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
