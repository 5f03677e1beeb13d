import { readFile } from 'node:fs/promises';
import Stripe from 'stripe';
import { normalizeEmail } from '../common/email.js';
import type { LocalStripeState } from '../dev/local-stripe.js';
import { SIMULATION_PREFIX } from '../dev/stripe-stand-in/simulation-routes.js';
import type { Package, PackageCatalog } from '../entitlements/package-catalog.js';

/** A Stripe event as `stripe:simulate` sends it. */
export interface SimulatedEvent {
  id: string;
  type: string;
  data: { object: { id: string } };
}

/** What the running server answered to a signed event. */
export interface WebhookAnswer {
  status: number;
  body: string;
}

/** Where the events go and how they are signed. */
export interface WebhookTarget {
  url: string;
  secret: string;
}

/** The running server's local Stripe stand-in, and the catalog it was started with. */
export interface LocalStripeTarget {
  standInUrl: string;
  catalog: PackageCatalog;
}

/** POSTs `event` to the webhook as Stripe does: its JSON bytes and their signature. */
export async function deliverSigned(target: WebhookTarget, event: object): Promise<WebhookAnswer> {
  return deliverPayload(target, JSON.stringify(event));
}

/** POSTs an event's JSON bytes as given (a redelivery sends the same bytes), freshly signed. */
export async function deliverPayload(target: WebhookTarget, payload: string): Promise<WebhookAnswer> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: target.secret }),
    },
    body: payload,
  }).catch((error: Error) => {
    throw new Error(`${target.url} does not answer (${error.message}): is the server running?`);
  });
  return { status: response.status, body: await response.text() };
}

/** The address the development server wrote when it started its stand-in. */
export async function localStripeUrl(stateFile: string): Promise<string> {
  const written = await readFile(stateFile, 'utf8').catch(() => null);
  if (!written) {
    throw new Error(
      `no local Stripe stand-in is running (${stateFile} is missing): start the server with \`npm start\` in development, without STRIPE_SECRET_KEY`,
    );
  }
  return (JSON.parse(written) as LocalStripeState).url;
}

/**
 * Changes at the local stand-in, each answering the event Stripe would send about it: a new
 * subscription for a user, its renewal, a failed renewal payment, a cancellation (at period end, or
 * now) and a switch to another package's price.
 */
export const subscriptionChanges = {
  subscribe: async (local: LocalStripeTarget, email: string, packageText: string) => {
    const pkg = packageOf(local.catalog, packageText);
    const canonical = normalizeEmail(email);
    // The metadata packgate's checkout gives a subscription: whose it is, for which package.
    const metadata = { email: canonical, package_id: String(pkg.id), price_id: pkg.stripePriceId };
    return ask(local, '/subscriptions', { email: canonical, price: pkg.stripePriceId, metadata });
  },
  renew: async (local: LocalStripeTarget, subscription: string) =>
    ask(local, actionPath(subscription, 'renew')),
  failPayment: async (local: LocalStripeTarget, subscription: string) =>
    ask(local, actionPath(subscription, 'fail-payment')),
  cancel: async (local: LocalStripeTarget, subscription: string, when: 'period-end' | 'now') =>
    ask(local, actionPath(subscription, 'cancel'), { now: when === 'now' }),
  changePackage: async (local: LocalStripeTarget, subscription: string, packageText: string) =>
    ask(local, actionPath(subscription, 'change-price'), {
      price: packageOf(local.catalog, packageText).stripePriceId,
    }),
};

function packageOf(catalog: PackageCatalog, text: string): Package & { stripePriceId: string } {
  const pkg = catalog.findByText(text);
  if (!pkg || pkg.id === 0) {
    throw new Error(`no package ${text}; known: ${catalog.paid.map((p) => p.name).join(', ')}`);
  }
  if (!pkg.stripePriceId) throw new Error(`package ${pkg.name} has no Stripe price in PACKAGES`);
  return pkg as Package & { stripePriceId: string };
}

function actionPath(subscription: string, action: string): string {
  if (!/^sub_\w+$/.test(subscription))
    throw new Error(`expected a subscription id (sub_…), got ${subscription}`);
  return `/subscriptions/${subscription}/${action}`;
}

async function ask(local: LocalStripeTarget, path: string, body: object = {}): Promise<SimulatedEvent> {
  const url = `${local.standInUrl}${SIMULATION_PREFIX}${path}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).catch((error: Error) => {
    throw new Error(
      `the local Stripe stand-in at ${local.standInUrl} does not answer (${error.message}): is the server running?`,
    );
  });
  const answer = (await response.json()) as { event?: SimulatedEvent; error?: { message: string } };
  if (!response.ok || !answer.event) {
    throw new Error(`the local Stripe stand-in refused: ${answer.error?.message ?? response.status}`);
  }
  return answer.event;
}
