// `npm run bench:coldstart`: how long a fresh process takes to answer its first requests, against
// DynamoDB Local. (L) the Lambda bundle (dist/lambda/index.mjs): spawn → answer to an API Gateway
// HTTP API event for GET /health, then one for the guarded GET /content/pro. (S) today's server
// (node dist/main.js): spawn → first 200 on GET /health over HTTP, then /content/pro. Median of
// BENCH_COLDSTARTS (5) runs each, interleaved, printed together.
//
// The bundle reads STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET from Secrets Manager (a local stand-in), as
// the CDK stack configures it; the server gets the same values as plain variables.
//
// Both run in the environment a Lambda gives Node: without NODE_EXTRA_CA_CERTS, which Lambda's Node 20
// and later runtimes leave unset and which some machines set to their whole CA bundle (Node 20 parses
// that file when it starts, before any of packgate's code). When this machine sets it, a third series,
// (L+), runs the bundle with it, so the difference shows in the same run. BENCH_NODE runs the children
// on another Node binary (e.g. a Node 24, the runtime the CDK stack deploys).
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SignJWT } from 'jose';
import { LocalDynamoEngine } from '../dist/dynamo/local-engine.js';
import { startSecretsManagerStandIn } from '../dist/testing/secrets-manager-stand-in.js';
import { ensureTables } from '../dist/dynamo/tables.js';

const RUNS = Number(process.env.BENCH_COLDSTARTS ?? 5);
const SECRET = 'coldstart-secret-of-at-least-32-characters';
const EMAIL = 'coldstart@example.com';

const engine = await LocalDynamoEngine.start({ dataDir: null, port: 0 });
const tables = { users: 'coldstart-users', ledger: 'coldstart-ledger' };
const client = new DynamoDBClient({
  endpoint: engine.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'packgate', secretAccessKey: 'local' },
});
await ensureTables(client, tables, { aws: false });
await client.send(
  new PutItemCommand({ TableName: tables.users, Item: { email: { S: EMAIL }, package_id: { N: '2' } } }),
);
client.destroy();

const now = Math.floor(Date.now() / 1000);
const token = await new SignJWT({ email: EMAIL, email_verified: true })
  .setProtectedHeader({ alg: 'HS256' })
  .setIssuer('packgate-dev')
  .setAudience('packgate')
  .setIssuedAt(now)
  .setExpirationTime(now + 3600)
  .sign(new TextEncoder().encode(SECRET));

const CHILD_NODE = process.env.BENCH_NODE ?? process.execPath;
const MACHINE_CA_CERTS = process.env.NODE_EXTRA_CA_CERTS;
const { NODE_EXTRA_CA_CERTS: _machineCaCerts, ...machineEnv } = process.env;

const SECRETS = {
  STRIPE_SECRET_KEY: 'sk_test_coldstart0123456789abcdef',
  STRIPE_WEBHOOK_SECRET: 'whsec_coldstart0123456789abcdef',
};
const secretsManager = await startSecretsManagerStandIn((arn) => SECRETS[arn.split(':').at(-1)]);
const arnOf = (name) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}`;

const env = {
  ...machineEnv,
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  PORT: '0',
  HOST: '127.0.0.1',
  DYNAMO_ENDPOINT: engine.endpoint,
  DYNAMO_TABLE_NAME: tables.users,
  DYNAMO_LEDGER_TABLE_NAME: tables.ledger,
  AUTH_DEV_SECRET: SECRET,
  STRIPE_LOCAL: 'false',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
const serverEnv = { ...env, ...SECRETS };
const lambdaEnv = {
  ...env,
  STRIPE_SECRET_KEY_ARN: arnOf('STRIPE_SECRET_KEY'),
  STRIPE_WEBHOOK_SECRET_ARN: arnOf('STRIPE_WEBHOOK_SECRET'),
  // The SDK finds its region, credentials and endpoint in the environment, as on Lambda.
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'coldstart',
  AWS_SECRET_ACCESS_KEY: 'coldstart',
  AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
};

/** Spawns `args`, reads its stdout lines; returns ms from spawn to each of the first `count` marked lines. */
async function timeChild(args, count, onLine, childEnv = env) {
  const started = performance.now();
  const child = spawn(CHILD_NODE, args, { env: childEnv, stdio: ['ignore', 'pipe', 'inherit'] });
  const marks = [];
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      const mark = await onLine(line);
      if (mark) marks.push(performance.now() - started);
      if (marks.length === count) return marks;
    }
    throw new Error(`${args.join(' ')} ended before answering`);
  } finally {
    child.kill('SIGKILL');
    await once(child, 'exit').catch(() => undefined);
  }
}

// The bundle alone, away from node_modules and package.json, as Lambda runs it.
const BUNDLE_DIR = mkdtempSync(join(tmpdir(), 'packgate-lambda-'));
cpSync('dist/lambda', BUNDLE_DIR, { recursive: true });

// The Lambda: a runner that imports the bundle and prints each answer's status as it comes.
const LAMBDA_RUNNER = `
const event = (path) => ({
  version: '2.0', routeKey: '$default', rawPath: path, rawQueryString: '',
  headers: { host: 'lambda.local', authorization: 'Bearer ${token}' },
  requestContext: { http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
    stage: '$default', requestId: 'bench', timeEpoch: Date.now() },
  isBase64Encoded: false,
});
const { handler } = await import(${JSON.stringify(`file://${join(BUNDLE_DIR, 'index.mjs')}`)});
for (const path of ['/health', '/content/pro']) {
  const answer = await handler(event(path), { awsRequestId: 'bench' });
  const cpu = process.cpuUsage();
  console.log('answer ' + answer.statusCode + ' cpu ' + (cpu.user + cpu.system) / 1000);
}`;

/** ms from spawn to each answer, and the CPU time (user + system) the process had used by its first. */
async function lambdaRun(childEnv = lambdaEnv) {
  let cpu;
  const marks = await timeChild(
    ['--input-type=module', '-e', LAMBDA_RUNNER],
    2,
    (line) => {
      if (!line.startsWith('answer ')) return false;
      const [, status, , used] = line.split(' ');
      if (status !== '200') throw new Error(`the Lambda answered ${line}`);
      cpu ??= Number(used);
      return true;
    },
    childEnv,
  );
  return [...marks, cpu];
}

async function serverRun() {
  const run = timeChild(
    ['dist/main.js'],
    1,
    async (line) => {
      const url = /listening on (\S+)/.exec(line)?.[1];
      if (!url) return false;
      for (const path of ['/health', '/content/pro']) {
        const answer = await fetch(url + path, { headers: { authorization: `Bearer ${token}` } });
        if (answer.status !== 200) throw new Error(`the server answered ${answer.status} on ${path}`);
      }
      return true;
    },
    serverEnv,
  );
  return run.then(([first]) => [first, first]);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const lambda = [];
const server = [];
const lambdaWithMachineCa = [];
try {
  await lambdaRun(); // warms the file system cache, as a real deployment's disk would be
  for (let i = 0; i < RUNS; i++) {
    lambda.push(await lambdaRun());
    server.push(await serverRun());
    if (MACHINE_CA_CERTS)
      lambdaWithMachineCa.push(await lambdaRun({ ...lambdaEnv, NODE_EXTRA_CA_CERTS: MACHINE_CA_CERTS }));
  }
} finally {
  await engine.stop();
  await secretsManager.close();
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
}
const lambdaRuns = 1 + lambda.length + lambdaWithMachineCa.length;
if (secretsManager.asked.length !== 2 * lambdaRuns) {
  throw new Error(
    `${lambdaRuns} Lambda starts asked Secrets Manager ${secretsManager.asked.length} times, not twice each`,
  );
}
const l1 = median(lambda.map(([first]) => first));
const l2 = median(lambda.map(([, second]) => second));
const lCpu = median(lambda.map(([, , cpu]) => cpu));
const s1 = median(server.map(([first]) => first));
const childVersion = execFileSync(CHILD_NODE, ['--version'], { encoding: 'utf8' }).trim();
console.log(
  `cold start, Node ${childVersion}, median of ${RUNS} (ms from spawn), without NODE_EXTRA_CA_CERTS:`,
);
console.log(
  `(L) Lambda bundle, first answer (/health)         ${l1.toFixed(0).padStart(6)} ms   (target <= 400)`,
);
console.log(`(L) Lambda bundle, + guarded /content/pro          ${l2.toFixed(0).padStart(6)} ms`);
// Steadier than wall time on a busy machine: what the process itself spent, Node's own start included.
console.log(`(L) Lambda bundle, CPU used by the first answer    ${lCpu.toFixed(0).padStart(6)} ms`);
console.log(`(S) node dist/main.js, first 200 (/health, /content/pro) ${s1.toFixed(0).padStart(6)} ms`);
if (MACHINE_CA_CERTS) {
  const withCa = median(lambdaWithMachineCa.map(([first]) => first));
  console.log(
    `(L+) (L) with this machine's NODE_EXTRA_CA_CERTS        ${withCa.toFixed(0).padStart(6)} ms   (${MACHINE_CA_CERTS})`,
  );
}
console.log(
  `L/S = ${(l1 / s1).toFixed(2)}   (runs: L ${lambda.map(([a]) => a.toFixed(0)).join(', ')}; S ${server.map(([a]) => a.toFixed(0)).join(', ')})`,
);
