// `npm run bench:webhook`: Stripe webhook deliveries against packgate on DynamoDB Local, in one run.
// (w1) a burst of distinct signed purchases, each for a new user: marker, grant, user and audit entry
// in one transaction per event; (w2) the same event delivered again and again: the duplicate path.
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { startServer } from './servers.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 2000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SECRET = 'whsec_bench_secret_for_packgate';

function purchaseEvent() {
  const email = `buyer-${randomUUID()}@example.com`;
  const paymentIntent = `pi_${randomUUID().replaceAll('-', '')}`;
  return JSON.stringify({
    id: `evt_${randomUUID().replaceAll('-', '')}`,
    object: 'event',
    type: 'checkout.session.completed',
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: `cs_${randomUUID().replaceAll('-', '')}`,
        object: 'checkout.session',
        mode: 'payment',
        payment_status: 'paid',
        client_reference_id: email,
        payment_intent: paymentIntent,
        metadata: { email, package_id: '2', price_id: 'price_pro' },
      },
    },
  });
}

function signed(payload) {
  return {
    method: 'POST',
    body: payload,
    headers: {
      'content-type': 'application/json',
      'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }),
    },
  };
}

async function burst(url, label, nextPayload) {
  const outcomes = {};
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    amount: EVENTS,
    requests: [{ setupRequest: (request) => ({ ...request, ...signed(nextPayload()) }) }],
    setupClient: (client) =>
      client.on('body', (body) => {
        const outcome = JSON.parse(body.toString()).outcome ?? 'error';
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }),
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${label}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  const perSecond = (result.requests.total / (result.duration || 1)).toFixed(0);
  console.log(
    `${label.padEnd(42)} ${perSecond.padStart(6)} events/s   p50 ${result.latency.p50} ms   p99 ${result.latency.p99} ms   ${JSON.stringify(outcomes)}`,
  );
}

const server = await startServer('packgate', {
  PACKAGES: '1:basic:price_basic,2:pro:price_pro',
  STRIPE_WEBHOOK_SECRET: SECRET,
});
try {
  const url = `${server.url}/payments/stripe/webhook`;
  console.log(
    `packgate webhook bench, Node ${process.version}: ${EVENTS} deliveries at ${CONNECTIONS} connections\n`,
  );
  await burst(url, '(w1) distinct purchases, new users', purchaseEvent);
  const repeated = purchaseEvent();
  await burst(url, '(w2) one event delivered again and again', () => repeated);
} finally {
  await server.stop();
}
