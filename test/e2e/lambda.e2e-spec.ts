import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { withSecretsFromArns } from '../../src/serverless/secrets-from-arns.js';
import { apiEvent, lambdaEnvironment } from '../support/api-gateway.js';
import {
  startSecretsManagerStandIn,
  type SecretsManagerStandIn,
} from '../../src/testing/secrets-manager-stand-in.js';
import { newPurchase, signature, stripeEvents } from '../support/stripe-events.js';
import { createTestTable } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

type Handler = typeof import('../../src/lambda.js').handler;

describe('the Lambda handler (src/lambda.ts)', () => {
  const dynamo = useTestDynamo();
  let handler: Handler;
  let tableName: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    tableName = await createTestTable(dynamo);
    // The handler is configured from the environment, as on Lambda.
    Object.assign(process.env, {
      ...lambdaEnvironment(dynamo.endpoint, tableName),
      PACKAGE_LIMITS: 'none=1000/min',
    });
    ({ handler } = await import('../../src/lambda.js'));
  });
  afterAll(() => {
    process.env = saved;
  });

  const invoke = (event: object) => handler(event, { awsRequestId: 'test' } as never);

  it('refuses METRICS_PORT (no scraper reaches a Lambda), then starts once it is unset', async () => {
    process.env.METRICS_PORT = '9464';
    await expect(invoke(apiEvent('GET', '/health'))).rejects.toThrow(
      /^METRICS_PORT cannot be served from a Lambda/,
    );
    delete process.env.METRICS_PORT;
    expect((await invoke(apiEvent('GET', '/health'))).statusCode).toBe(200);
  });

  it('answers API Gateway events with the same app as the server: health, guarded routes', async () => {
    const health = await invoke(apiEvent('GET', '/health'));
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    const headers = bearer(await devToken(uniqueEmail('lambda')));
    expect((await invoke(apiEvent('POST', '/users/me', headers))).statusCode).toBe(201);
    const pro = await invoke(apiEvent('GET', '/content/pro', headers));
    expect(pro.statusCode).toBe(402);
    expect(JSON.parse(pro.body)).toMatchObject({ code: 'PAYMENTS.PACKAGE_REQUIRED' });
  });

  it('verifies a Stripe webhook on the exact bytes of a base64 body and applies it once', async () => {
    const email = uniqueEmail('lambda-buyer');
    const headers = bearer(await devToken(email));
    await invoke(apiEvent('POST', '/users/me', headers));
    const payload = JSON.stringify(stripeEvents.checkoutCompleted(newPurchase(email, 2)), null, 1);
    const webhook = (body: string) =>
      invoke(
        apiEvent(
          'POST',
          '/payments/stripe/webhook',
          { 'content-type': 'application/json', 'stripe-signature': signature(body) },
          body,
        ),
      );
    const first = await webhook(payload);
    expect(first.statusCode).toBe(200);
    expect(JSON.parse(first.body)).toMatchObject({ outcome: 'applied' });
    expect(JSON.parse((await webhook(payload)).body)).toMatchObject({ outcome: 'duplicate' });
    expect((await invoke(apiEvent('GET', '/content/pro', headers))).statusCode).toBe(200);
    // One byte changed (a space the JSON parser would not mind) fails the signature.
    const tampered = await invoke(
      apiEvent(
        'POST',
        '/payments/stripe/webhook',
        { 'content-type': 'application/json', 'stripe-signature': signature(payload) },
        payload.replace('\n', '\n '),
      ),
    );
    expect(tampered.statusCode).toBe(400);
  });
});

describe('secrets from Secrets Manager ARNs', () => {
  let secretsManager: SecretsManagerStandIn;

  beforeAll(async () => {
    secretsManager = await startSecretsManagerStandIn((secretId) => `value-of-${secretId.slice(-4)}\n`);
  });
  afterAll(() => secretsManager.close());

  it('replaces each <NAME>_ARN by the secret’s value, once per start, and reads nothing without ARNs', async () => {
    const arn = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}`;
    // The SDK finds its region, credentials and endpoint in the process's environment, as on Lambda.
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
    });
    const env = await withSecretsFromArns({
      STRIPE_SECRET_KEY_ARN: arn('key1'),
      STRIPE_WEBHOOK_SECRET_ARN: arn('hoo2'),
    }).finally(() => {
      process.env = saved;
    });
    expect(env.STRIPE_SECRET_KEY).toBe('value-of-key1');
    expect(env.STRIPE_WEBHOOK_SECRET).toBe('value-of-hoo2');
    expect([...secretsManager.asked].sort()).toEqual([
      `secretsmanager.GetSecretValue ${arn('hoo2')}`,
      `secretsmanager.GetSecretValue ${arn('key1')}`,
    ]);
    const plain = { STRIPE_SECRET_KEY: 'sk_test_x' };
    expect(await withSecretsFromArns(plain)).toBe(plain);
    expect(secretsManager.asked).toHaveLength(2);
  });
});
