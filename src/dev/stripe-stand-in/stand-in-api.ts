import type { StripeErrorBody } from './answers.js';
import type { CheckoutSessionObject } from './checkout-sessions.js';
import type { CustomerObject } from './customers.js';
import type { PublishedEvent } from './events.js';
import type { InvoiceObject } from './invoice-object.js';
import type { PortalSessionObject } from './billing-portal.js';
import type { PriceDefinition, PriceObject } from './prices.js';
import type { RecordedStripeRequest } from './request.js';
import type { SubscriptionObject } from './subscription-object.js';
import type { CreateSubscription, Renewal, SubscriptionPatch } from './subscriptions.js';

/**
 * - `api`: answers the part of Stripe's v1 API packgate calls, as Stripe's API reference describes it;
 * - `error`: answers every request with `status` and `{ error }`;
 * - `drop-connection`: reads the request, then destroys the socket without answering (ECONNRESET).
 */
export type StandInBehaviour =
  { kind: 'api' } | { kind: 'error'; status: number; error: StripeErrorBody } | { kind: 'drop-connection' };

/** How Stripe's servers behave meanwhile; reset() goes back to the defaults (0 ms, keys kept). */
export interface StandInTuning {
  /** How long each answer takes; an Idempotency-Key is in flight meanwhile. */
  latencyMs?: number;
  /** false: forget each key once answered, as Stripe does 24 h later. */
  keepIdempotentResults?: boolean;
}

/** A local HTTP server in Stripe's place, on 127.0.0.1 and a free port, that records what it receives. */
export interface StripeStandIn {
  /** http://127.0.0.1:<port>, for STRIPE_API_URL. */
  readonly url: string;
  /** Every request received since the last reset(), oldest first. */
  readonly requests: readonly RecordedStripeRequest[];
  /** Every Checkout Session created since the last reset(), in its current state. */
  readonly sessions: readonly CheckoutSessionObject[];
  /** Every Customer created since the last reset(), deleted ones included. */
  readonly customers: readonly CustomerObject[];
  /** Ids of the customers deleted since. */
  readonly deletedCustomers: ReadonlySet<string>;
  /** Every Subscription created since the last reset(), in its current state. */
  readonly subscriptions: readonly SubscriptionObject[];
  /** Every Billing Portal session created since the last reset(). */
  readonly portalSessions: readonly PortalSessionObject[];
  answerWith(behaviour: StandInBehaviour): void;
  tune(tuning: StandInTuning): void;
  /** The buyer paid: the session becomes `complete` (paid); in subscription mode its subscription is created. */
  completeSession(id: string): CheckoutSessionObject;
  /** The session timed out: it becomes `expired`. */
  expireSession(id: string): CheckoutSessionObject;
  /** Stores an event for `GET /v1/events` (Stripe keeps them 30 days). */
  publishEvent(event: PublishedEvent): void;

  /** A price Stripe has from now on (`GET /v1/prices/:id`); one-time unless `recurring`. */
  definePrice(definition: PriceDefinition): PriceObject;
  /** A customer made at Stripe by someone other than packgate; returns its id. */
  createCustomer(fields?: { email?: string; metadata?: Record<string, string> }): string;
  /** A subscription with its first invoice (paid, unless the status says otherwise). */
  createSubscription(input: CreateSubscription): SubscriptionObject;
  /** What the portal does: switch price (the period stays), cancel at period end (or undo), set a status. */
  updateSubscription(id: string, patch: SubscriptionPatch): SubscriptionObject;
  /** The period advances by its interval; a new invoice is paid through a new payment intent. */
  renewSubscription(id: string): Renewal;
  /** The period advances; its invoice stays `open` after a failed attempt and the subscription is `past_due`. */
  failRenewal(id: string): Renewal;
  /** A retry of the open latest invoice succeeds: paid, and the subscription `active` again. */
  payLatestInvoice(id: string): Renewal;
  /** Canceled now. */
  cancelSubscription(id: string): SubscriptionObject;
  /** The subscription / invoice as Stripe now holds it (the live object: snapshot it before changing it). */
  subscription(id: string): SubscriptionObject;
  invoice(id: string): InvoiceObject;
  /** Stripe's clock, in seconds since the epoch: real time until set, and again after reset(). */
  now(): number;
  setClock(unixSeconds: number): void;

  /** Forgets every request, object, event, key and price, and goes back to `api`, default tuning, real time. */
  reset(): void;
  /** Stops listening and drops open connections: the port then refuses connections. */
  close(): Promise<void>;
}
