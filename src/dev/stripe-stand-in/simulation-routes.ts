import { invalidRequest, ok, type StandInAnswer } from './answers.js';
import type { StandInClock } from './clock.js';
import type { StandInCustomers } from './customers.js';
import type { PublishedEvent, StandInEvents } from './events.js';
import { stripeId } from './ids.js';
import type { RecordedStripeRequest } from './request.js';
import type { StandInSubscriptions } from './subscriptions.js';

/** Where every route of the stand-in's own (not Stripe's) API starts. */
export const SIMULATION_PREFIX = '/_packgate';

export type StandInRoute = [
  method: string,
  path: RegExp,
  answer: (request: RecordedStripeRequest, id: string) => StandInAnswer,
];

export interface SimulationParts {
  clock: StandInClock;
  customers: StandInCustomers;
  subscriptions: StandInSubscriptions;
  events: StandInEvents;
}

/**
 * What `stripe:simulate` asks of the development stand-in: each route changes a subscription as a
 * customer (or Stripe's billing) would, publishes the event Stripe would send about it (so
 * `GET /v1/events` lists it too) and answers `{ event }` for the caller to sign and deliver.
 */
export function simulationRoutes(parts: SimulationParts): StandInRoute[] {
  const { customers, subscriptions } = parts;
  const announce = eventPublisher(parts);
  const subscriptionPath = (action: string) =>
    new RegExp(`^${SIMULATION_PREFIX}/subscriptions/([^/]+)/${action}$`);
  const post = (path: RegExp, answer: StandInRoute[2]): StandInRoute => [
    'POST',
    path,
    refusingMistakes(answer),
  ];
  return [
    post(new RegExp(`^${SIMULATION_PREFIX}/subscriptions$`), (request) => {
      const { email, price, metadata } = jsonOf(request);
      const customer = customerFor(customers, String(email));
      const created = subscriptions.create({ customer, price: String(price), metadata: stringsOf(metadata) });
      return announce('customer.subscription.created', created.subscription);
    }),
    post(subscriptionPath('renew'), (_request, id) => {
      // A subscription whose payment failed is renewed by the retry of its open invoice succeeding.
      const renewal =
        subscriptions.get(id).status === 'past_due'
          ? subscriptions.payLatestInvoice(id)
          : subscriptions.renew(id, 'paid');
      return announce('invoice.paid', renewal.invoice);
    }),
    post(subscriptionPath('fail-payment'), (_request, id) =>
      announce('invoice.payment_failed', subscriptions.renew(id, 'failed').invoice),
    ),
    post(subscriptionPath('cancel'), (request, id) =>
      jsonOf(request).now === true
        ? announce('customer.subscription.deleted', subscriptions.cancel(id))
        : announce('customer.subscription.updated', subscriptions.update(id, { cancelAtPeriodEnd: true })),
    ),
    post(subscriptionPath('change-price'), (request, id) =>
      announce(
        'customer.subscription.updated',
        subscriptions.update(id, { price: String(jsonOf(request).price) }),
      ),
    ),
  ];
}

function eventPublisher({ clock, events }: SimulationParts) {
  return (type: string, object: object): StandInAnswer => {
    const event: PublishedEvent = {
      id: stripeId('evt'),
      object: 'event',
      api_version: '2026-01-28',
      created: clock.now(),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      // The event keeps the object as it is now; the stand-in's object lives on.
      data: { object: structuredClone(object) },
    };
    events.publish(event);
    return ok({ event });
  };
}

/** The customer packgate would have made for `email` (its first live one), or a new one. */
function customerFor(customers: StandInCustomers, email: string): string {
  const known = customers.all.find((c) => c.email === email && customers.usable(c.id));
  return known?.id ?? customers.add({ email, metadata: { packgate_email: email } });
}

// The stand-in's objects throw plain errors for changes Stripe would refuse (a canceled subscription,
// a one-time price on a subscription): the caller gets them as Stripe's 400s.
function refusingMistakes(answer: StandInRoute[2]): StandInRoute[2] {
  return (request, id) => {
    try {
      return answer(request, id);
    } catch (error) {
      return invalidRequest((error as Error).message);
    }
  };
}

function jsonOf(request: RecordedStripeRequest): Record<string, unknown> {
  const parsed: unknown = request.body ? JSON.parse(request.body) : {};
  if (typeof parsed !== 'object' || parsed === null) throw new Error('expected a JSON object');
  return parsed as Record<string, unknown>;
}

const stringsOf = (value: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries((value ?? {}) as object).map(([key, v]) => [key, String(v)]));
