// `npm run bench:dynamo-calls`: how many DynamoDB calls guarded requests cost, counted at the SDK,
// with two packgate instances over one DynamoDB Local table (the requests alternate between them).
// (c1) one busy user: every request guarded by pro and by a per-package limit (leases of 5 % of the quota);
// (c2) many users, a few requests each: entitlement reads per user per instance.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createApp } from '../dist/app.factory.js';
import { LocalDynamoEngine } from '../dist/dynamo/local-engine.js';
import { DYNAMO } from '../dist/dynamo/dynamo.tokens.js';
import { ensureTables } from '../dist/dynamo/tables.js';
import { createTestCaller } from '../dist/testing/index.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const USERS = Number(process.env.BENCH_USERS ?? 200);
const LIMITS = process.env.BENCH_LIMITS ?? 'pro=6000/min';

const counts = {};
const countCalls = (app) =>
  app.get(DYNAMO).middlewareStack.add(
    (next, context) => (args) => {
      counts[context.commandName] = (counts[context.commandName] ?? 0) + 1;
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
};
const apps = [await createApp({ env, shutdownHooks: false }), await createApp({ env, shutdownHooks: false })];
apps.forEach(countCalls);

const guarded = (app, headers) => app.inject({ method: 'GET', url: '/content/pro', headers });
const report = (label, requests, started, calls) =>
  console.log(
    `${label.padEnd(44)} ${requests} requests in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
      `${Object.entries(calls)
        .map(([name, n]) => `${name.replace('Command', '')} ${n}`)
        .join(
          ', ',
        )} (${((1000 * Object.values(calls).reduce((a, b) => a + b, 0)) / requests).toFixed(1)} calls per 1000)`,
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
} finally {
  await Promise.all(apps.map((app) => app.close()));
  client.destroy();
  await engine.stop();
}
