import { invalidRequest, noSuch, ok, type StandInAnswer } from './answers.js';
import { lineItemPrices, modeRefusal, subscriptionMetadataOf } from './checkout-modes.js';
import type { StandInClock } from './clock.js';
import { stripeId } from './ids.js';
import type { StandInCustomers } from './customers.js';
import type { StandInPrices } from './prices.js';
import { metadataOf, type RecordedStripeRequest } from './request.js';
import type { StandInSubscriptions } from './subscriptions.js';

/** The fields of a v1 `checkout.session` created from `form`. */
function checkoutSession(form: Record<string, string>, created: number) {
  const id = stripeId('cs_test', 32);
  return {
    id,
    object: 'checkout.session' as const,
    url: `https://checkout.stripe.com/c/pay/${id}` as string | null,
    mode: form.mode ?? null,
    status: 'open' as 'open' | 'complete' | 'expired',
    payment_status: 'unpaid' as 'unpaid' | 'paid' | 'no_payment_required',
    client_reference_id: form.client_reference_id ?? null,
    customer: form.customer ?? null,
    customer_email: form.customer_email ?? null,
    metadata: metadataOf(form),
    success_url: form.success_url ?? null,
    cancel_url: form.cancel_url ?? null,
    payment_intent: null as string | null,
    /** subscription mode: the subscription and its first invoice, once completed. */
    subscription: null as string | null,
    invoice: null as string | null,
    livemode: false,
    created,
    expires_at: created + 24 * 3600,
  };
}

export type CheckoutSessionObject = ReturnType<typeof checkoutSession>;

export interface CheckoutDependencies {
  clock: StandInClock;
  customers: StandInCustomers;
  prices: StandInPrices;
  subscriptions: StandInSubscriptions;
}

/** Checkout Sessions as Stripe keeps them: created open, then completed (paid) or expired. */
export class StandInCheckoutSessions {
  readonly all: CheckoutSessionObject[] = [];
  // What a completed subscription-mode session needs and the session object does not show.
  private readonly forms = new Map<string, Record<string, string>>();

  constructor(private readonly stripe: CheckoutDependencies) {}

  create(request: RecordedStripeRequest): StandInAnswer {
    const { customer, customer_email: customerEmail } = request.form;
    if (customer !== undefined && customerEmail !== undefined) {
      return invalidRequest('You may only specify one of these parameters: customer, customer_email.', {
        param: 'customer_email',
      });
    }
    if (customer !== undefined && !this.stripe.customers.usable(customer)) {
      return invalidRequest(`No such customer: '${customer}'`, {
        code: 'resource_missing',
        param: 'customer',
      });
    }
    const refusal = modeRefusal(request.form, this.stripe.prices);
    if (refusal) return refusal;
    const session = checkoutSession(request.form, this.stripe.clock.now());
    this.all.push(session);
    this.forms.set(session.id, request.form);
    return ok(session);
  }

  retrieve(id: string): StandInAnswer {
    const session = this.find(id);
    return session ? ok(session) : noSuch('checkout.session', id, 'session');
  }

  expire(id: string): StandInAnswer {
    const session = this.find(id);
    if (!session) return noSuch('checkout.session', id, 'session');
    if (session.status !== 'open') {
      return invalidRequest(
        `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a ` +
          `status of \`${session.status}\`.`,
      );
    }
    this.settle(id, 'expired');
    return ok(session);
  }

  /**
   * What Stripe does when the buyer pays (`complete`) or the session times out (`expired`). A
   * subscription-mode session, completed, creates its subscription for the session's customer.
   */
  settle(id: string, status: 'complete' | 'expired'): CheckoutSessionObject {
    const session = this.find(id);
    if (!session) throw new Error(`the stand-in has no session ${id}`);
    session.status = status;
    if (status === 'complete' && session.mode === 'subscription') this.subscribe(session);
    else if (status === 'complete') {
      session.payment_status = 'paid';
      session.payment_intent = stripeId('pi');
    }
    session.url = null;
    return session;
  }

  clear(): void {
    this.all.length = 0;
    this.forms.clear();
  }

  private subscribe(session: CheckoutSessionObject): void {
    const form = this.forms.get(session.id) ?? {};
    const [price] = lineItemPrices(form);
    const trialDays = Number(form['subscription_data[trial_period_days]'] ?? 0);
    const customer = session.customer ?? this.stripe.customers.add({ email: session.customer_email });
    const { subscription, invoice } = this.stripe.subscriptions.create({
      customer,
      price,
      metadata: subscriptionMetadataOf(form),
      trialDays,
    });
    session.customer = customer;
    session.subscription = subscription.id;
    session.invoice = invoice.id;
    session.payment_status = trialDays > 0 ? 'no_payment_required' : 'paid';
  }

  private find(id: string): CheckoutSessionObject | undefined {
    return this.all.find((s) => s.id === id);
  }
}
