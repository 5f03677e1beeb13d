// `npm run bench:dynamo-calls`: how many DynamoDB calls guarded requests cost, counted at the SDK,
// with two packgate instances over one DynamoDB Local table (the requests alternate between them).
// (c1) one busy user: every request guarded by pro and by a per-package limit (leases of 5 % of the quota);
// (c2) many users, a few requests each: entitlement reads per user per instance;
// (c3) signed Stripe purchases (a new user each), then each delivered again: calls and transaction items per event.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Stripe from 'stripe';
import { createApp } from '../dist/app.factory.js';
import { LocalDynamoEngine } from '../dist/dynamo/local-engine.js';
import { DYNAMO } from '../dist/dynamo/dynamo.tokens.js';
import { ensureTables } from '../dist/dynamo/tables.js';
import { createTestCaller } from '../dist/testing/index.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const USERS = Number(process.env.BENCH_USERS ?? 200);
const LIMITS = process.env.BENCH_LIMITS ?? 'pro=6000/min';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200);
const WEBHOOK_SECRET = 'whsec_bench_secret_for_packgate';

const counts = {};
const countCalls = (app) =>
  app.get(DYNAMO).middlewareStack.add(
    (next, context) => (args) => {
      counts[context.commandName] = (counts[context.commandName] ?? 0) + 1;
      const items = args.input.TransactItems?.length;
      if (items) counts['transaction items'] = (counts['transaction items'] ?? 0) + items;
      return next(args);
    },
    { step: 'initialize', name: 'benchCountCalls' },
  );
const snapshot = () => {
  const taken = { ...counts };
  for (const name of Object.keys(counts)) delete counts[name];
  return taken;
};

const engine = await LocalDynamoEngine.start({ dataDir: null, port: 0 });
const names = { users: `bench-${randomUUID()}`, ledger: `bench-${randomUUID()}-ledger` };
const client = new DynamoDBClient({
  endpoint: engine.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'packgate', secretAccessKey: 'local' },
});
await ensureTables(client, names, { aws: false });
const env = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'silent',
  DYNAMO_ENDPOINT: engine.endpoint,
  DYNAMO_TABLE_NAME: names.users,
  DYNAMO_LEDGER_TABLE_NAME: names.ledger,
  AUTH_DEV_SECRET: 'bench-secret-of-at-least-32-characters-0123',
  STRIPE_LOCAL: 'false',
  PACKAGES: '1:basic,2:pro',
  PACKAGE_LIMITS: LIMITS,
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
};
const apps = [await createApp({ env, shutdownHooks: false }), await createApp({ env, shutdownHooks: false })];
apps.forEach(countCalls);

const guarded = (app, headers) => app.inject({ method: 'GET', url: '/content/pro', headers });
const purchase = () => {
  const email = `buyer-${randomUUID()}@example.com`;
  const id = randomUUID().replaceAll('-', '');
  return JSON.stringify({
    id: `evt_${id}`,
    object: 'event',
    type: 'checkout.session.completed',
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: `cs_${id}`,
        object: 'checkout.session',
        mode: 'payment',
        payment_status: 'paid',
        client_reference_id: email,
        payment_intent: `pi_${id}`,
        metadata: { email, package_id: '2', price_id: 'price_pro' },
      },
    },
  });
};
const deliver = async (app, payload) => {
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
  const answer = await app.inject({
    method: 'POST',
    url: '/payments/stripe/webhook',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    payload,
  });
  if (answer.statusCode !== 200) throw new Error(`(c3): ${answer.statusCode} ${answer.body}`);
  return JSON.parse(answer.body).outcome;
};
const report = (label, requests, started, calls) =>
  console.log(
    `${label.padEnd(44)} ${requests} requests in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
      `${Object.entries(calls)
        .map(([name, n]) => `${name.replace('Command', '')} ${n}`)
        .join(
          ', ',
        )} (${((1000 * Object.entries(calls).reduce((sum, [name, n]) => (name.endsWith('Command') ? sum + n : sum), 0)) / requests).toFixed(1)} calls per 1000)`,
  );

try {
  console.log(`packgate DynamoDB calls, Node ${process.version}, 2 instances, PACKAGE_LIMITS=${LIMITS}\n`);
  const busy = await createTestCaller(apps[0], 'pro');
  snapshot();
  let started = performance.now();
  for (let i = 0; i < REQUESTS; i++) {
    const answer = await guarded(apps[i % 2], busy.headers);
    if (answer.statusCode !== 200) throw new Error(`(c1) request ${i}: ${answer.statusCode} ${answer.body}`);
  }
  report('(c1) one busy user, alternating instances', REQUESTS, started, snapshot());

  const callers = [];
  for (let i = 0; i < USERS; i++) callers.push(await createTestCaller(apps[0], 'pro'));
  snapshot();
  started = performance.now();
  for (let round = 0; round < 4; round++) {
    for (const [i, caller] of callers.entries()) {
      const answer = await guarded(apps[(i + round) % 2], caller.headers);
      if (answer.statusCode !== 200) throw new Error(`(c2): ${answer.statusCode} ${answer.body}`);
    }
  }
  report(`(c2) ${USERS} users × 4 requests, alternating`, USERS * 4, started, snapshot());

  const events = Array.from({ length: EVENTS }, purchase);
  for (const [label, expected] of [
    [`(c3) ${EVENTS} purchases, each a new user`, 'applied'],
    [`(c3) the same ${EVENTS} delivered again`, 'duplicate'],
  ]) {
    started = performance.now();
    for (const [i, payload] of events.entries()) {
      const outcome = await deliver(apps[i % 2], payload);
      if (outcome !== expected) throw new Error(`(c3) event ${i}: ${outcome}, not ${expected}`);
    }
    report(label, EVENTS, started, snapshot());
  }
} finally {
  await Promise.all(apps.map((app) => app.close()));
  client.destroy();
  await engine.stop();
}
