import { randomUUID } from 'node:crypto';
import { invalidRequest, noSuch, ok, type StandInAnswer } from './answers.js';
import type { StandInCustomers } from './customers.js';
import { metadataOf, type RecordedStripeRequest } from './request.js';

/** The fields of a v1 `checkout.session` that a payment-mode session created from `form` would carry. */
function checkoutSession(form: Record<string, string>) {
  const id = `cs_test_${randomUUID().replaceAll('-', '')}`;
  const created = Math.floor(Date.now() / 1000);
  return {
    id,
    object: 'checkout.session' as const,
    url: `https://checkout.stripe.com/c/pay/${id}` as string | null,
    mode: form.mode ?? null,
    status: 'open' as 'open' | 'complete' | 'expired',
    payment_status: 'unpaid' as 'unpaid' | 'paid',
    client_reference_id: form.client_reference_id ?? null,
    customer: form.customer ?? null,
    customer_email: form.customer_email ?? null,
    metadata: metadataOf(form),
    success_url: form.success_url ?? null,
    cancel_url: form.cancel_url ?? null,
    payment_intent: null as string | null,
    livemode: false,
    created,
    expires_at: created + 24 * 3600,
  };
}

export type CheckoutSessionObject = ReturnType<typeof checkoutSession>;

/** Checkout Sessions as Stripe keeps them: created open, then completed (paid) or expired. */
export class StandInCheckoutSessions {
  readonly all: CheckoutSessionObject[] = [];

  constructor(private readonly customers: StandInCustomers) {}

  create(request: RecordedStripeRequest): StandInAnswer {
    const { customer, customer_email: customerEmail } = request.form;
    if (customer !== undefined && customerEmail !== undefined) {
      return invalidRequest('You may only specify one of these parameters: customer, customer_email.', {
        param: 'customer_email',
      });
    }
    if (customer !== undefined && !this.customers.usable(customer)) {
      return invalidRequest(`No such customer: '${customer}'`, {
        code: 'resource_missing',
        param: 'customer',
      });
    }
    const session = checkoutSession(request.form);
    this.all.push(session);
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

  /** What Stripe does when the buyer pays (`complete`) or the session times out (`expired`). */
  settle(id: string, status: 'complete' | 'expired'): CheckoutSessionObject {
    const session = this.find(id);
    if (!session) throw new Error(`the stand-in has no session ${id}`);
    session.status = status;
    if (status === 'complete') {
      session.payment_status = 'paid';
      session.payment_intent = `pi_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
    }
    session.url = null;
    return session;
  }

  private find(id: string): CheckoutSessionObject | undefined {
    return this.all.find((s) => s.id === id);
  }
}
