import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { invalidRequest, send, type StandInAnswer, type StripeErrorBody } from './stand-in/answers.js';
import { StandInCheckoutSessions, type CheckoutSessionObject } from './stand-in/checkout-sessions.js';
import { StandInCustomers, type CustomerObject } from './stand-in/customers.js';
import { StandInEvents, type PublishedEvent } from './stand-in/events.js';
import { IdempotencyKeys } from './stand-in/idempotency.js';
import { record, type RecordedStripeRequest } from './stand-in/request.js';

export type { CheckoutSessionObject, CustomerObject, PublishedEvent, RecordedStripeRequest, StripeErrorBody };

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
  answerWith(behaviour: StandInBehaviour): void;
  tune(tuning: StandInTuning): void;
  /** The buyer paid: the session becomes `complete` (paid). */
  completeSession(id: string): CheckoutSessionObject;
  /** The session timed out: it becomes `expired`. */
  expireSession(id: string): CheckoutSessionObject;
  /** Stores an event for `GET /v1/events` (Stripe keeps them 30 days). */
  publishEvent(event: PublishedEvent): void;
  /** Forgets every request, object, event and key, and goes back to `api` with default tuning. */
  reset(): void;
  /** Stops listening and drops open connections: the port then refuses connections. */
  close(): Promise<void>;
}

type Route = [
  method: string,
  path: RegExp,
  answer: (request: RecordedStripeRequest, id: string) => StandInAnswer,
];

export async function startStripeStandIn(): Promise<StripeStandIn> {
  let behaviour: StandInBehaviour = { kind: 'api' };
  let latencyMs = 0;
  const requests: RecordedStripeRequest[] = [];
  const customers = new StandInCustomers();
  const sessions = new StandInCheckoutSessions(customers);
  const events = new StandInEvents();
  const keys = new IdempotencyKeys();
  const routes: Route[] = [
    ['POST', /^\/v1\/customers$/, (request) => customers.create(request)],
    ['GET', /^\/v1\/customers\/([^/]+)$/, (_request, id) => customers.retrieve(id)],
    ['DELETE', /^\/v1\/customers\/([^/]+)$/, (_request, id) => customers.delete(id)],
    ['POST', /^\/v1\/checkout\/sessions$/, (request) => sessions.create(request)],
    ['GET', /^\/v1\/checkout\/sessions\/([^/]+)$/, (_request, id) => sessions.retrieve(id)],
    ['POST', /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/, (_request, id) => sessions.expire(id)],
    ['GET', /^\/v1\/events$/, (request) => events.list(request.params)],
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
    reset: () => {
      requests.length = 0;
      sessions.all.length = 0;
      customers.clear();
      events.clear();
      keys.clear();
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
