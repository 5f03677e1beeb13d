import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory.js';
import { signDevToken } from '../../src/auth/dev-token.js';
import { normalizeEmail } from '../../src/common/email.js';
import { ConfigError, loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { PackageCatalog } from '../../src/entitlements/package-catalog.js';
import { webhookSecrets } from '../../src/payments/webhook/webhook-secrets.js';
import {
  deliverSigned,
  localStripeUrl,
  subscriptionChanges,
  type LocalStripeTarget,
  type SimulatedEvent,
  type WebhookTarget,
} from '../../src/scripts/stripe-simulation.js';
import { createTestTable, ledgerTableOf } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { uniqueEmail } from '../support/tokens.js';

const applied = { received: true, outcome: 'applied' };

// packgate as `npm start` runs it on a newcomer's machine: development, no Stripe account, its
// generated secrets and the stand-in's address in a data folder of its own, on a real port.
describe('development without a Stripe account: the local stand-in and stripe:simulate', () => {
  const dynamo = useTestDynamo();
  let dataDir: string;
  let env: Record<string, string>;
  let config: AppConfig;
  let app: NestFastifyApplication | undefined;
  let webhook: WebhookTarget;
  let local: LocalStripeTarget;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'packgate-local-stripe-'));
    const tableName = await createTestTable(dynamo);
    env = {
      NODE_ENV: 'development',
      LOG_LEVEL: 'silent',
      DYNAMO_ENDPOINT: dynamo.endpoint,
      DYNAMO_TABLE_NAME: tableName,
      DYNAMO_LEDGER_TABLE_NAME: ledgerTableOf(tableName),
      AUTH_DEV_SECRET_FILE: join(dataDir, 'auth-dev-secret'),
      STRIPE_WEBHOOK_SECRET_FILE: join(dataDir, 'stripe-webhook-secret'),
      STRIPE_LOCAL_FILE: join(dataDir, 'stripe-local.json'),
    };
    app = await createApp({ env, shutdownHooks: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    // What stripe:simulate does: the same environment, read by another process.
    config = loadConfig(env);
    const [secret] = webhookSecrets(config.payments.webhookSecrets);
    webhook = { url: `${await app.getUrl()}/payments/stripe/webhook`, secret };
    local = {
      standInUrl: await localStripeUrl(join(dataDir, 'stripe-local.json')),
      catalog: new PackageCatalog(config.packages),
    };
  });
  afterAll(async () => {
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const started = () => {
    if (!app) throw new Error('the app starts in beforeAll');
    return app;
  };
  async function call(method: 'GET' | 'POST', url: string, email: string) {
    const token = await signDevToken(config.auth, normalizeEmail(email));
    return started().inject({ method, url, headers: { authorization: `Bearer ${token}` } });
  }
  const status = async (url: string, email: string) => (await call('GET', url, email)).statusCode;
  /** Delivers the simulated event as the script does and expects the server to apply it. */
  async function deliver(event: SimulatedEvent, type: string): Promise<void> {
    expect(event.type).toBe(type);
    const answer = await deliverSigned(webhook, event);
    expect({ status: answer.status, body: JSON.parse(answer.body) }).toEqual({ status: 200, body: applied });
  }

  it('points the stripe SDK at the stand-in: checkout and the portal answer without an account', async () => {
    const email = uniqueEmail('local-buyer');
    expect((await call('POST', '/users/me', email)).statusCode).toBe(201);
    const checkout = await started().inject({
      method: 'POST',
      url: '/payments/checkout',
      headers: { authorization: `Bearer ${await signDevToken(config.auth, normalizeEmail(email))}` },
      payload: { package: 'pro' },
    });
    expect(checkout.statusCode).toBe(201);
    expect(checkout.json()).toMatchObject({
      url: expect.stringMatching(/^https:\/\/checkout\.stripe\.com\//),
    });
    const portal = await call('POST', '/payments/portal', email);
    expect(portal.statusCode).toBe(201);
    expect(portal.json()).toMatchObject({ url: expect.any(String) });
  });

  it('walks a subscription: subscribe, upgrade, renew, failed payment, retry, cancel, cancel now', async () => {
    const email = uniqueEmail('local-subscriber');
    expect((await call('POST', '/users/me', email)).statusCode).toBe(201);
    expect(await status('/content/basic', email)).toBe(402);

    const created = await subscriptionChanges.subscribe(local, email, 'basic');
    await deliver(created, 'customer.subscription.created');
    const sub = created.data.object.id;
    expect(sub).toMatch(/^sub_/);
    expect(await status('/content/basic', email)).toBe(200);
    expect(await status('/content/pro', email)).toBe(402);

    await deliver(
      await subscriptionChanges.changePackage(local, sub, 'pro'),
      'customer.subscription.updated',
    );
    expect(await status('/content/pro', email)).toBe(200);

    await deliver(await subscriptionChanges.renew(local, sub), 'invoice.paid');
    expect(await status('/content/pro', email)).toBe(200);

    // past_due keeps access for SUBSCRIPTION_GRACE (3 days by default) from the failed invoice.
    const failed = await subscriptionChanges.failPayment(local, sub);
    await deliver(failed, 'invoice.payment_failed');
    expect(await status('/content/pro', email)).toBe(200);
    // --renew on a past_due subscription: the retry of its open invoice succeeds.
    const retried = await subscriptionChanges.renew(local, sub);
    await deliver(retried, 'invoice.paid');
    expect(retried.data.object.id).toBe(failed.data.object.id);
    expect(await status('/content/pro', email)).toBe(200);

    // Cancelled at period end: access until then, a month away.
    const cancelling = await subscriptionChanges.cancel(local, sub, 'period-end');
    await deliver(cancelling, 'customer.subscription.updated');
    expect(cancelling.data.object).toMatchObject({ cancel_at_period_end: true, status: 'active' });
    expect(await status('/content/pro', email)).toBe(200);

    await deliver(await subscriptionChanges.cancel(local, sub, 'now'), 'customer.subscription.deleted');
    expect(await status('/content/pro', email)).toBe(402);
    expect(await status('/content/basic', email)).toBe(402);

    await expect(subscriptionChanges.renew(local, sub)).rejects.toThrow(
      `the local Stripe stand-in refused: ${sub} is canceled`,
    );
  });

  it('refuses what the stand-in cannot do, before anything is sent', async () => {
    await expect(subscriptionChanges.subscribe(local, uniqueEmail(), 'gold')).rejects.toThrow(
      'no package gold; known: basic, pro',
    );
    await expect(subscriptionChanges.renew(local, 'sub_unknown')).rejects.toThrow(
      'the local Stripe stand-in refused: the stand-in has no subscription sub_unknown',
    );
    await expect(subscriptionChanges.renew(local, 'in_123')).rejects.toThrow('expected a subscription id');
  });

  it('refuses the stand-in in production, naming STRIPE_LOCAL', async () => {
    const oidc = { AUTH_ISSUER: 'https://login.example.com/', AUTH_AUDIENCE: 'packgate' };
    const production = createApp({ env: { ...env, ...oidc, NODE_ENV: 'production', STRIPE_LOCAL: 'true' } });
    await expect(production).rejects.toThrow(ConfigError);
    await expect(production).rejects.toThrow(/^STRIPE_LOCAL=true is refused when NODE_ENV=production/);
  });

  it('takes its address away when it stops, so stripe:simulate says no server runs', async () => {
    const stateFile = join(dataDir, 'stripe-local.json');
    expect(existsSync(stateFile)).toBe(true);
    await started().close();
    app = undefined;
    expect(existsSync(stateFile)).toBe(false);
    await expect(localStripeUrl(stateFile)).rejects.toThrow(/no local Stripe stand-in is running/);
    await expect(fetch(`${local.standInUrl}/v1/prices/price_dev_pro_monthly`)).rejects.toThrow();
  });
});
