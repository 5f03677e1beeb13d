import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { invalidRequest, send, type StandInAnswer, type StripeErrorBody } from './answers.js';
import { StandInBillingPortal, type PortalSessionObject } from './billing-portal.js';
import { StandInCheckoutSessions, type CheckoutSessionObject } from './checkout-sessions.js';
import { StandInClock } from './clock.js';
import { StandInCustomers, type CustomerObject } from './customers.js';
import { StandInEvents, type PublishedEvent } from './events.js';
import { IdempotencyKeys } from './idempotency.js';
import type { InvoiceObject } from './invoice-object.js';
import { StandInInvoices } from './invoices.js';
import { StandInPrices, type PriceDefinition, type PriceObject } from './prices.js';
import { record, type RecordedStripeRequest } from './request.js';
import type { StandInBehaviour, StripeStandIn } from './stand-in-api.js';
import { simulationRoutes, type StandInRoute } from './simulation-routes.js';
import { listSubscriptions } from './subscription-list.js';
import type { SubscriptionObject, SubscriptionStatus } from './subscription-object.js';
import {
  StandInSubscriptions,
  type CreateSubscription,
  type Renewal,
  type SubscriptionPatch,
} from './subscriptions.js';

export type {
  CheckoutSessionObject,
  CreateSubscription,
  CustomerObject,
  InvoiceObject,
  PortalSessionObject,
  PriceDefinition,
  PriceObject,
  PublishedEvent,
  RecordedStripeRequest,
  Renewal,
  StripeErrorBody,
  SubscriptionObject,
  SubscriptionPatch,
  SubscriptionStatus,
};
export type { StandInBehaviour, StandInTuning, StripeStandIn } from './stand-in-api.js';

export interface StandInOptions {
  /** Also serve the `/_packgate/…` routes `stripe:simulate` drives (the development server only). */
  simulation?: boolean;
}

/** Starts the stand-in on 127.0.0.1 and a free port; it keeps everything in memory. */
export async function startStripeStandIn(options: StandInOptions = {}): Promise<StripeStandIn> {
  let behaviour: StandInBehaviour = { kind: 'api' };
  let latencyMs = 0;
  const requests: RecordedStripeRequest[] = [];
  const clock = new StandInClock();
  const customers = new StandInCustomers(clock);
  const prices = new StandInPrices(clock);
  const invoices = new StandInInvoices(clock);
  const subscriptions = new StandInSubscriptions(clock, customers, prices, invoices);
  const sessions = new StandInCheckoutSessions({ clock, customers, prices, subscriptions });
  const portal = new StandInBillingPortal(clock, customers);
  const events = new StandInEvents();
  const keys = new IdempotencyKeys();
  const routes: StandInRoute[] = [
    ['POST', /^\/v1\/customers$/, (request) => customers.create(request)],
    ['GET', /^\/v1\/customers\/([^/]+)$/, (_request, id) => customers.retrieve(id)],
    ['DELETE', /^\/v1\/customers\/([^/]+)$/, (_request, id) => customers.delete(id)],
    ['POST', /^\/v1\/checkout\/sessions$/, (request) => sessions.create(request)],
    ['GET', /^\/v1\/checkout\/sessions\/([^/]+)$/, (_request, id) => sessions.retrieve(id)],
    ['POST', /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/, (_request, id) => sessions.expire(id)],
    ['GET', /^\/v1\/events$/, (request) => events.list(request.params)],
    ['GET', /^\/v1\/prices\/([^/]+)$/, (_request, id) => prices.retrieve(id)],
    ['GET', /^\/v1\/subscriptions$/, (request) => listSubscriptions(subscriptions.all, request.params)],
    ['GET', /^\/v1\/subscriptions\/([^/]+)$/, (request, id) => subscriptions.retrieve(id, request.params)],
    ['GET', /^\/v1\/invoices\/([^/]+)$/, (request, id) => invoices.retrieve(id, request.params)],
    ['POST', /^\/v1\/billing_portal\/sessions$/, (request) => portal.create(request)],
    ...(options.simulation ? simulationRoutes({ clock, customers, subscriptions, events }) : []),
  ];

  function route(request: RecordedStripeRequest): StandInAnswer {
    for (const [method, path, answer] of routes) {
      const match = request.method === method ? path.exec(request.path) : null;
      if (match) return answer(request, decodeURIComponent(match[1] ?? ''));
    }
    return invalidRequest(`Unrecognized request URL (${request.method}: ${request.path}).`, {}, 404);
  }

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const recorded = await record(request);
    requests.push(recorded);
    if (behaviour.kind === 'drop-connection') return void request.socket.destroy();
    if (behaviour.kind === 'error') {
      return send(response, { status: behaviour.status, body: { error: behaviour.error } });
    }
    const decision = keys.decide(recorded);
    if (decision.kind === 'answer') {
      return send(response, decision.answer, decision.replayed ? { 'idempotent-replayed': 'true' } : {});
    }
    if (latencyMs > 0) await sleep(latencyMs);
    const answered = route(recorded);
    decision.done(answered);
    send(response, answered);
  }

  // A client that gives up mid-request (the SDK's timeout) only loses its own socket.
  const server = createServer((request, response) => {
    answer(request, response).catch(() => request.socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    sessions: sessions.all,
    customers: customers.all,
    deletedCustomers: customers.deleted,
    subscriptions: subscriptions.all,
    portalSessions: portal.all,
    answerWith: (next) => {
      behaviour = next;
    },
    tune: (tuning) => {
      latencyMs = tuning.latencyMs ?? latencyMs;
      keys.keep = tuning.keepIdempotentResults ?? keys.keep;
    },
    completeSession: (id) => sessions.settle(id, 'complete'),
    expireSession: (id) => sessions.settle(id, 'expired'),
    publishEvent: (event) => events.publish(event),
    definePrice: (definition) => prices.define(definition),
    createCustomer: (fields = {}) => customers.add(fields),
    createSubscription: (input) => subscriptions.create(input).subscription,
    updateSubscription: (id, patch) => subscriptions.update(id, patch),
    renewSubscription: (id) => subscriptions.renew(id, 'paid'),
    failRenewal: (id) => subscriptions.renew(id, 'failed'),
    payLatestInvoice: (id) => subscriptions.payLatestInvoice(id),
    cancelSubscription: (id) => subscriptions.cancel(id),
    subscription: (id) => subscriptions.get(id),
    invoice: (id) => invoices.get(id),
    now: () => clock.now(),
    setClock: (unixSeconds) => clock.set(unixSeconds),
    reset: () => {
      requests.length = 0;
      sessions.clear();
      customers.clear();
      prices.clear();
      subscriptions.clear();
      invoices.clear();
      portal.clear();
      events.clear();
      keys.clear();
      clock.reset();
      behaviour = { kind: 'api' };
      latencyMs = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; drop them so close() does not wait on them.
        server.closeAllConnections();
      }),
  };
}
