import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { apiEvent, lambdaEnvironment } from '../support/api-gateway.js';
import { startSecretsManagerStandIn } from '../../src/testing/secrets-manager-stand-in.js';
import { newPurchase, signature, stripeEvents } from '../support/stripe-events.js';
import { createTestTable } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, TEST_WEBHOOK_SECRET, uniqueEmail } from '../support/tokens.js';

const run = promisify(execFile);

// One cold start: imports the bundle's index.mjs from its own folder, hands it the events in order and
// prints each answer (status and body) as a JSON line.
const COLD_START = `
import { readFileSync } from 'node:fs';
const { handler } = await import('./index.mjs');
for (const event of JSON.parse(readFileSync('events.json', 'utf8'))) {
  const { statusCode, body } = await handler(event, { awsRequestId: 'bundle-test' });
  console.log(JSON.stringify({ statusCode, body }));
}`;

interface Answer {
  statusCode: number;
  body: string;
}

/**
 * The Lambda bundle as `npm run build:lambda` makes it (tools/build-lambda.mjs, from tsc's dist/, built
 * by `npm test` first), run alone in a folder of its own with no node_modules, as Lambda runs it: the
 * chunks it loads on first use (the stripe SDK above all) must be in it and must load.
 */
describe('the Lambda bundle (dist/lambda)', () => {
  const dynamo = useTestDynamo();
  const built = mkdtempSync(join(tmpdir(), 'packgate-bundle-'));
  const copies: string[] = [];
  let tableName: string;

  beforeAll(async () => {
    await run(process.execPath, ['tools/build-lambda.mjs'], {
      env: { ...process.env, LAMBDA_OUT_DIR: built },
    });
    tableName = await createTestTable(dynamo);
  }, 120_000);
  afterAll(() => {
    for (const dir of [built, ...copies]) rmSync(dir, { recursive: true, force: true });
  });

  /** A copy of the bundle without the files `leaveOut` matches (each must match exactly one). */
  function bundleCopy(leaveOut: RegExp[] = []): string {
    const dir = mkdtempSync(join(tmpdir(), 'packgate-lambda-'));
    copies.push(dir);
    cpSync(built, dir, { recursive: true });
    for (const pattern of leaveOut) {
      const matches = readdirSync(dir).filter((file) => pattern.test(file));
      expect(matches).toHaveLength(1);
      rmSync(join(dir, matches[0]));
    }
    return dir;
  }

  async function coldStart(
    dir: string,
    events: object[],
    env: Record<string, string> = {},
  ): Promise<Answer[]> {
    writeFileSync(join(dir, 'events.json'), JSON.stringify(events));
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', COLD_START], {
      cwd: dir,
      env: {
        ...lambdaEnvironment(dynamo.endpoint, tableName),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...env,
      },
    });
    return stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Answer);
  }

  it('answers health and guarded routes without the stripe SDK, the stand-in, prom-client or ajv present', async () => {
    // Left out of the folder: a cold start that needed one of them would fail to import it.
    const dir = bundleCopy([
      /^stripe\.esm\.node-.*\.mjs$/,
      /^stripe-stand-in-.*\.mjs$/,
      /^prometheus-metrics-.*\.mjs$/,
      /^fastify-schema-compilers\.cjs$/,
    ]);
    const headers = bearer(await devToken(uniqueEmail('bundle')));
    const answers = await coldStart(
      dir,
      [
        apiEvent('GET', '/health'),
        apiEvent('POST', '/users/me', headers),
        apiEvent('GET', '/content/pro', headers),
      ],
      // A configured Stripe key no longer makes the client (nor loads the SDK) at start.
      { STRIPE_SECRET_KEY: 'sk_test_bundle' },
    );
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 201, 402]);
  }, 60_000);

  it('verifies and applies a signed Stripe webhook with the SDK it loads on the first delivery', async () => {
    const email = uniqueEmail('bundle-buyer');
    const headers = bearer(await devToken(email));
    const payload = JSON.stringify(stripeEvents.checkoutCompleted(newPurchase(email, 2)), null, 1);
    const webhook = (body: string) =>
      apiEvent(
        'POST',
        '/payments/stripe/webhook',
        { 'content-type': 'application/json', 'stripe-signature': signature(payload) },
        body,
      );
    const answers = await coldStart(bundleCopy(), [
      apiEvent('POST', '/users/me', headers),
      webhook(payload.replace('\n', '\n ')), // one byte changed: the signature no longer matches
      webhook(payload),
      webhook(payload),
      apiEvent('GET', '/content/pro', headers),
    ]);
    expect(answers.map((answer) => answer.statusCode)).toEqual([201, 400, 200, 200, 200]);
    expect(JSON.parse(answers[1].body)).toMatchObject({ code: 'PAYMENTS.INVALID_SIGNATURE' });
    expect(JSON.parse(answers[2].body)).toMatchObject({ outcome: 'applied' });
    expect(JSON.parse(answers[3].body)).toMatchObject({ outcome: 'duplicate' });
  }, 60_000);

  it('serves Prometheus metrics with prom-client loaded from its own chunk when METRICS_TOKEN is set', async () => {
    const answers = await coldStart(
      bundleCopy(),
      [apiEvent('GET', '/health'), apiEvent('GET', '/metrics', bearer('bundle-metrics-token-0123456789'))],
      {
        METRICS_TOKEN: 'bundle-metrics-token-0123456789',
      },
    );
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200]);
    expect(answers[1].body).toContain('packgate_http_request_duration_seconds');
  }, 60_000);

  it('reads the webhook secret from Secrets Manager (its client loaded from its own chunk) before the first answer', async () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:webhook';
    const secretsManager = await startSecretsManagerStandIn(() => TEST_WEBHOOK_SECRET);
    try {
      const email = uniqueEmail('bundle-secret');
      const headers = bearer(await devToken(email));
      const payload = JSON.stringify(stripeEvents.checkoutCompleted(newPurchase(email, 1)));
      const answers = await coldStart(
        bundleCopy(),
        [
          apiEvent('POST', '/users/me', headers),
          apiEvent(
            'POST',
            '/payments/stripe/webhook',
            { 'content-type': 'application/json', 'stripe-signature': signature(payload) },
            payload,
          ),
        ],
        {
          STRIPE_WEBHOOK_SECRET: '',
          STRIPE_WEBHOOK_SECRET_ARN: arn,
          // The SDK finds its region, credentials and endpoint in the environment, as on Lambda.
          AWS_REGION: 'eu-west-1',
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
        },
      );
      expect(answers.map((answer) => answer.statusCode)).toEqual([201, 200]);
      expect(JSON.parse(answers[1].body)).toMatchObject({ outcome: 'applied' });
      expect(secretsManager.asked).toEqual([`secretsmanager.GetSecretValue ${arn}`]);
    } finally {
      await secretsManager.close();
    }
  }, 60_000);
});
