import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Stripe from 'stripe';
import type { StripeStandIn } from './stripe-stand-in.js';
import { TEST_WEBHOOK_SECRET } from './tokens.js';

/** The catalog test apps use for payments: prices for both packages. */
export const TEST_PACKAGES = '1:basic:price_basic,2:pro:price_pro';
export const PRICES: Record<number, string> = { 1: 'price_basic', 2: 'price_pro' };

/** Gives the stand-in the prices of TEST_PACKAGES (one-time, as Stripe is asked before each checkout). */
export function defineTestPrices(standIn: Pick<StripeStandIn, 'definePrice'>): void {
  for (const id of Object.values(PRICES)) standIn.definePrice({ id });
}

const id = (prefix: string) => `${prefix}_${randomUUID().replaceAll('-', '')}`;

/** A Stripe event envelope as the API documents it (v1 `event` object). */
function event(type: string, object: object, created = Math.floor(Date.now() / 1000)) {
  return {
    id: id('evt'),
    object: 'event',
    api_version: '2026-01-28',
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

export type StripeTestEvent = ReturnType<typeof event>;

export interface Purchase {
  email: string;
  packageId: number;
  sessionId: string;
  paymentIntent: string;
  chargeId: string;
}

export const newPurchase = (email: string, packageId: number): Purchase => ({
  email,
  packageId,
  sessionId: id('cs_test'),
  paymentIntent: id('pi'),
  chargeId: id('ch'),
});

function session(purchase: Purchase, paymentStatus: 'paid' | 'unpaid' | 'no_payment_required') {
  return {
    id: purchase.sessionId,
    object: 'checkout.session',
    mode: 'payment',
    status: 'complete',
    payment_status: paymentStatus,
    client_reference_id: purchase.email,
    customer_email: purchase.email,
    customer_details: { email: `typed-by-buyer-${purchase.email}` },
    payment_intent: paymentStatus === 'no_payment_required' ? null : purchase.paymentIntent,
    metadata: {
      email: purchase.email,
      package_id: String(purchase.packageId),
      price_id: PRICES[purchase.packageId],
    },
    amount_total: 1000 * purchase.packageId,
    currency: 'usd',
  };
}

function charge(purchase: Purchase, amountRefunded: number) {
  const amount = 1000 * purchase.packageId;
  return {
    id: purchase.chargeId,
    object: 'charge',
    amount,
    amount_refunded: amountRefunded,
    refunded: amountRefunded >= amount,
    payment_intent: purchase.paymentIntent,
    currency: 'usd',
  };
}

function dispute(purchase: Purchase, disputeId: string, status: string) {
  return {
    id: disputeId,
    object: 'dispute',
    amount: 1000 * purchase.packageId,
    charge: purchase.chargeId,
    payment_intent: purchase.paymentIntent,
    status,
    currency: 'usd',
  };
}

export type SubscriptionEventType =
  | 'customer.subscription.created'
  | 'customer.subscription.updated'
  | 'customer.subscription.deleted'
  | 'customer.subscription.paused'
  | 'customer.subscription.resumed';
export type InvoiceEventType = 'invoice.paid' | 'invoice.payment_failed';

// An event carries the object as it was when the event was made; the stand-in's objects live on.
const snapshot = <T extends object>(object: T): T => structuredClone(object);

/** Builders of the events packgate acts on, shaped like Stripe's documented payloads. */
export const stripeEvents = {
  checkoutCompleted: (p: Purchase, paymentStatus: 'paid' | 'unpaid' | 'no_payment_required' = 'paid') =>
    event('checkout.session.completed', session(p, paymentStatus)),
  asyncPaymentSucceeded: (p: Purchase) =>
    event('checkout.session.async_payment_succeeded', session(p, 'paid')),
  asyncPaymentFailed: (p: Purchase) => event('checkout.session.async_payment_failed', session(p, 'unpaid')),
  refunded: (p: Purchase, fully = true) =>
    event('charge.refunded', charge(p, fully ? 1000 * p.packageId : 100)),
  disputeCreated: (p: Purchase, disputeId = `dp_${p.chargeId}`) =>
    event('charge.dispute.created', dispute(p, disputeId, 'needs_response')),
  disputeClosed: (p: Purchase, status: 'won' | 'lost', disputeId = `dp_${p.chargeId}`) =>
    event('charge.dispute.closed', dispute(p, disputeId, status)),
  other: (type: string) => event(type, { id: id('obj'), object: 'unknown' }),
  /** An event about a session as Stripe (or its stand-in) describes it, e.g. one our checkout created. */
  aboutSession: (type: string, session: object) => event(type, session),
  /** `checkout.session.completed` for a session the stand-in completed, as it now stands. */
  checkoutCompletedFor: (session: object) => event('checkout.session.completed', snapshot(session)),
  /** A subscription event carrying `subscription` (e.g. the stand-in's) as it now stands. */
  subscription: (type: SubscriptionEventType, subscription: object, created?: number) =>
    event(type, snapshot(subscription), created),
  /** An invoice event carrying `invoice` (e.g. the stand-in's) as it now stands. */
  invoice: (type: InvoiceEventType, invoice: object, created?: number) =>
    event(type, snapshot(invoice), created),
};

/** Stripe-Signature for `payload`, made by the stripe SDK's own test helper with the real scheme. */
export function signature(payload: string, secret = TEST_WEBHOOK_SECRET, timestamp?: number): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

/** Delivers `evt` to the app's webhook as Stripe does: JSON bytes and their signature. */
export function deliver(
  app: NestFastifyApplication,
  evt: StripeTestEvent | string,
  headers: Record<string, string> = {},
) {
  const payload = typeof evt === 'string' ? evt : JSON.stringify(evt);
  return app.inject({
    method: 'POST',
    url: '/payments/stripe/webhook',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'stripe-signature': signature(payload),
      ...headers,
    },
    payload,
  });
}

/** The test catalog plus package 3 (enterprise): what a catalog fix adds for a parked enterprise purchase. */
export const TEST_PACKAGES_WITH_ENTERPRISE = `${TEST_PACKAGES},3:enterprise:price_enterprise`;

/**
 * A paid session for package 3 (enterprise), which TEST_PACKAGES lacks, so it parks; created at
 * `created` (Unix seconds), now by default.
 */
export function enterprisePurchase(
  email: string,
  created = Math.floor(Date.now() / 1000),
): { evt: StripeTestEvent; email: string } {
  const evt = { ...stripeEvents.checkoutCompleted(newPurchase(email, 3)), created };
  (evt.data.object as { metadata: Record<string, string> }).metadata.price_id = 'price_enterprise';
  return { evt, email };
}
