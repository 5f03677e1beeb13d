/**
 * `npm run -s stripe:simulate -- alice@example.com pro` sends the running server a correctly signed
 * `checkout.session.completed`, as `stripe trigger` would after a real checkout, and prints the payment
 * intent id alone on stdout. `npm run -s stripe:simulate -- --refund <pi>` sends its full refund;
 * `--dispute <pi>`, `--dispute-won <pi>` and `--dispute-lost <pi>` the dispute events.
 *
 * With the development server's local Stripe stand-in: `--subscribe <email> <package>` (prints the
 * subscription id), `--renew <sub>`, `--fail-payment <sub>`, `--cancel <sub>` (at period end),
 * `--cancel-now <sub>` and `--upgrade <sub> <package>` change the subscription there, then send the
 * event Stripe would (and print the id of the object it carries).
 *
 * Every event sent is kept (.data/stripe-simulated/): `--resend <evt>` (`--resend last`: the latest)
 * delivers one again, as Stripe retries, and prints the webhook's outcome (`duplicate` once applied).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { normalizeEmail } from '../common/email.js';
import { loadConfig, type AppConfig } from '../config/app-config.js';
import { PackageCatalog } from '../entitlements/package-catalog.js';
import { webhookSecrets } from '../payments/webhook/webhook-secrets.js';
import { SentEvents } from './sent-events.js';
import {
  deliverPayload,
  localStripeUrl,
  subscriptionChanges,
  type LocalStripeTarget,
  type WebhookTarget,
} from './stripe-simulation.js';

const id = (prefix: string) => `${prefix}_sim_${randomBytes(12).toString('hex')}`;
const AMOUNT = 1000;

function envelope(type: string, object: object) {
  return {
    id: id('evt'),
    object: 'event',
    api_version: '2026-01-28',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type,
    data: { object },
  };
}

function purchase(config: AppConfig, emailArg: string, packageArg: string) {
  const catalog = new PackageCatalog(config.packages);
  const pkg = catalog.findByText(packageArg);
  if (!pkg || pkg.id === 0)
    throw new Error(`no package ${packageArg}; known: ${catalog.paid.map((p) => p.name).join(', ')}`);
  if (!pkg.stripePriceId) {
    throw new Error(
      `package ${pkg.name} has no Stripe price in PACKAGES, so checkout cannot sell it; start the server and this ` +
        'command with prices, e.g. PACKAGES=1:basic:price_basic,2:pro:price_pro',
    );
  }
  const email = normalizeEmail(emailArg);
  const paymentIntent = id('pi');
  const session = {
    id: id('cs'),
    object: 'checkout.session',
    mode: 'payment',
    status: 'complete',
    payment_status: 'paid',
    client_reference_id: email,
    payment_intent: paymentIntent,
    metadata: { email, package_id: String(pkg.id), price_id: pkg.stripePriceId },
    amount_total: AMOUNT,
    currency: 'usd',
  };
  return { event: envelope('checkout.session.completed', session), printed: paymentIntent };
}

function chargeEvent(type: string, paymentIntent: string, disputeStatus?: string) {
  if (!/^pi_/.test(paymentIntent))
    throw new Error(`expected a payment intent id (pi_…), got ${paymentIntent}`);
  const charge = `ch_${paymentIntent.slice(3)}`;
  const object = disputeStatus
    ? {
        id: `dp_${paymentIntent.slice(3)}`,
        object: 'dispute',
        charge,
        payment_intent: paymentIntent,
        status: disputeStatus,
        amount: AMOUNT,
        currency: 'usd',
      }
    : {
        id: charge,
        object: 'charge',
        payment_intent: paymentIntent,
        amount: AMOUNT,
        amount_refunded: AMOUNT,
        refunded: true,
        currency: 'usd',
      };
  return { event: envelope(type, object), printed: undefined };
}

const USAGE =
  'usage: npm run -s stripe:simulate -- <email> <package> | --refund <pi> | --dispute <pi> | --dispute-won <pi> | --dispute-lost <pi>' +
  ' | --subscribe <email> <package> | --renew <sub> | --fail-payment <sub> | --cancel <sub> | --cancel-now <sub> | --upgrade <sub> <package>' +
  ' | --resend <evt|last>';

type Values = Record<string, string | boolean | undefined>;

const SUBSCRIPTION_OPTIONS = ['subscribe', 'renew', 'fail-payment', 'cancel', 'cancel-now', 'upgrade'];

async function subscriptionChange(config: AppConfig, values: Values, positionals: string[]) {
  if (!config.payments.localStripe) {
    throw new Error(
      'subscription commands drive the local Stripe stand-in, which runs only in development without STRIPE_SECRET_KEY (and STRIPE_LOCAL not false)',
    );
  }
  const local: LocalStripeTarget = {
    standInUrl: await localStripeUrl(config.payments.localStripe.stateFile),
    catalog: new PackageCatalog(config.packages),
  };
  const event = await subscriptionEvent(local, values, positionals);
  return { event, printed: event.data.object.id };
}

function subscriptionEvent(local: LocalStripeTarget, values: Values, positionals: string[]) {
  const text = (name: string) => String(values[name]);
  const [first, second] = positionals;
  if (values.subscribe && positionals.length === 2)
    return subscriptionChanges.subscribe(local, first, second);
  if (values.renew) return subscriptionChanges.renew(local, text('renew'));
  if (values['fail-payment']) return subscriptionChanges.failPayment(local, text('fail-payment'));
  if (values.cancel) return subscriptionChanges.cancel(local, text('cancel'), 'period-end');
  if (values['cancel-now']) return subscriptionChanges.cancel(local, text('cancel-now'), 'now');
  if (values.upgrade && positionals.length === 1) {
    return subscriptionChanges.changePackage(local, text('upgrade'), first);
  }
  throw new Error(USAGE);
}

function chosenEvent(config: AppConfig, values: Values, positionals: string[]) {
  const text = (name: string) => String(values[name]);
  if (values.refund) return chargeEvent('charge.refunded', text('refund'));
  if (values.dispute) return chargeEvent('charge.dispute.created', text('dispute'), 'needs_response');
  if (values['dispute-won']) return chargeEvent('charge.dispute.closed', text('dispute-won'), 'won');
  if (values['dispute-lost']) return chargeEvent('charge.dispute.closed', text('dispute-lost'), 'lost');
  if (positionals.length === 2) return purchase(config, positionals[0], positionals[1]);
  throw new Error(USAGE);
}

export async function run(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      refund: { type: 'string' },
      dispute: { type: 'string' },
      'dispute-won': { type: 'string' },
      'dispute-lost': { type: 'string' },
      subscribe: { type: 'boolean' },
      renew: { type: 'string' },
      'fail-payment': { type: 'string' },
      cancel: { type: 'string' },
      'cancel-now': { type: 'string' },
      upgrade: { type: 'string' },
      resend: { type: 'string' },
      url: { type: 'string' },
    },
  });
  const config = loadConfig(process.env);
  const [secret] = webhookSecrets(config.payments.webhookSecrets);
  if (!secret) throw new Error('no webhook secret: set STRIPE_WEBHOOK_SECRET');
  const webhook = { url: values.url ?? `http://127.0.0.1:${config.port}/payments/stripe/webhook`, secret };
  const sent = new SentEvents();
  if (values.resend) {
    if (positionals.length > 0) throw new Error(USAGE);
    await resend(webhook, sent, values.resend);
    return;
  }
  const { event, printed } = SUBSCRIPTION_OPTIONS.some((name) => values[name as keyof typeof values])
    ? await subscriptionChange(config, values, positionals)
    : chosenEvent(config, values, positionals);
  const payload = JSON.stringify(event);
  await sent.keep(event, payload);
  const answer = await deliverPayload(webhook, payload);
  console.error(`${event.type} ${event.id} → ${answer.status} ${answer.body}`);
  if (answer.status < 200 || answer.status >= 300) process.exit(1);
  if (printed) process.stdout.write(`${printed}\n`);
}

/** Delivers an event sent before, byte for byte, and prints the outcome the webhook answers. */
async function resend(webhook: WebhookTarget, sent: SentEvents, eventId: string): Promise<void> {
  const { id, payload } = await sent.payloadOf(eventId);
  const { type } = JSON.parse(payload) as { type: string };
  const answer = await deliverPayload(webhook, payload);
  console.error(`${type} ${id} again → ${answer.status} ${answer.body}`);
  if (answer.status < 200 || answer.status >= 300) process.exit(1);
  const { outcome } = JSON.parse(answer.body) as { outcome?: string };
  process.stdout.write(`${outcome ?? answer.body}\n`);
}
