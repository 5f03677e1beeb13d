import { describe, expect, it } from '@jest/globals';
import { resolve } from 'node:path';
import { ConfigError, DEV_AUDIENCE, DEV_ISSUER, loadConfig } from './app-config.js';

const DEV_SECRET = 'a-development-secret-of-32-chars!';
const OIDC = { AUTH_ISSUER: 'https://login.example.com/', AUTH_AUDIENCE: 'packgate-api' };

/** The ConfigError loadConfig throws for `env`; fails the test if it accepts it. */
function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('runs on an empty environment: embedded DynamoDB, dev-secret auth kept in a file, port 3000', () => {
    expect(loadConfig({})).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      dynamo: {
        endpoint: { kind: 'local', dataDir: resolve('.data/dynamodb'), port: 0 },
        tableName: 'packgate-users',
      },
      auth: {
        mode: 'dev-secret',
        issuer: DEV_ISSUER,
        audience: DEV_AUDIENCE,
        secret: { file: resolve('.data/auth-dev-secret') },
      },
    });
  });

  it('counts empty strings as unset', () => {
    const blank = { NODE_ENV: '', PORT: '', DYNAMO_ENDPOINT: '', DYNAMO_TABLE_NAME: '', AUTH_DEV_SECRET: '' };
    expect(loadConfig(blank)).toEqual(loadConfig({}));
  });

  it('takes a given dev secret and an http(s) endpoint', () => {
    const config = loadConfig({ AUTH_DEV_SECRET: DEV_SECRET, DYNAMO_ENDPOINT: 'http://127.0.0.1:8000' });
    expect(config.auth).toMatchObject({ mode: 'dev-secret', secret: { value: DEV_SECRET } });
    expect(config.dynamo.endpoint).toEqual({
      kind: 'url',
      url: 'http://127.0.0.1:8000',
      awsCredentials: false,
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', ' '],
    ['PORT', '0x10'],
    ['PORT', '1e3'],
    ['PORT', '65536'],
    ['DYNAMO_ENDPOINT', 'ftp://x'],
    ['DYNAMO_TABLE_NAME', 'a'],
    ['AUTH_JWKS_URL', 'notaurl'],
    ['AUTH_DEV_SECRET', 'too-short'],
    ['DYNAMO_TIMEOUT_MS', '0'],
  ])('refuses %s=%j with a message naming it', (variable, value) => {
    expect(refusal({ [variable]: value }).message).toContain(variable);
  });

  it('names every bad variable at once', () => {
    const { message } = refusal({ PORT: 'abc', DYNAMO_TIMEOUT_MS: '0' });
    expect(message).toContain('PORT');
    expect(message).toContain('DYNAMO_TIMEOUT_MS');
  });

  it('refuses AUTH_DEV_SECRET together with AUTH_JWKS_URL', () => {
    const { message } = refusal({
      AUTH_DEV_SECRET: DEV_SECRET,
      AUTH_JWKS_URL: 'https://login.example.com/jwks',
    });
    expect(message).toContain('AUTH_DEV_SECRET');
    expect(message).toContain('AUTH_JWKS_URL');
  });

  describe('NODE_ENV=production', () => {
    const production = { NODE_ENV: 'production', ...OIDC };

    it('defaults to DynamoDB on AWS and OIDC tokens', () => {
      const config = loadConfig(production);
      expect(config.dynamo.endpoint).toEqual({ kind: 'aws' });
      expect(config.auth).toMatchObject({
        mode: 'oidc',
        issuer: OIDC.AUTH_ISSUER,
        audience: OIDC.AUTH_AUDIENCE,
      });
    });

    it('refuses the embedded DynamoDB', () => {
      expect(refusal({ ...production, DYNAMO_ENDPOINT: 'local' }).message).toContain('DYNAMO_ENDPOINT');
    });

    it('refuses AUTH_DEV_SECRET', () => {
      expect(refusal({ ...production, AUTH_DEV_SECRET: DEV_SECRET }).message).toContain('AUTH_DEV_SECRET');
    });

    it.each(['AUTH_ISSUER', 'AUTH_AUDIENCE'])('requires %s', (variable) => {
      expect(refusal({ ...production, [variable]: '' }).message).toContain(variable);
    });
  });

  describe('payments', () => {
    const WEBHOOK_SECRET = 'whsec_test_secret';
    const CHECKOUT = {
      CHECKOUT_SUCCESS_URL: 'https://app.example.com/ok',
      CHECKOUT_CANCEL_URL: 'https://app.example.com/cancel',
      PORTAL_RETURN_URL: 'https://app.example.com/account',
    };

    it('runs without a Stripe account in development: the local stand-in, a generated webhook secret kept in a file', () => {
      expect(loadConfig({}).payments).toEqual({
        ledgerTableName: 'packgate-ledger',
        stripeSecretKey: undefined,
        webhookSecrets: { file: resolve('.data/stripe-webhook-secret') },
        stripeApiUrl: undefined,
        localStripe: { stateFile: resolve('.data/stripe-local.json') },
        stripeTimeoutMs: 10000,
        stripeMaxNetworkRetries: 2,
        successUrl: 'http://localhost:3000/checkout/success',
        cancelUrl: 'http://localhost:3000/checkout/cancel',
        portalReturnUrl: 'http://localhost:3000/?portal=return',
      });
      expect(loadConfig({ STRIPE_WEBHOOK_SECRET_FILE: 'tmp/whsec' }).payments.webhookSecrets).toEqual({
        file: resolve('tmp/whsec'),
      });
    });

    describe('the local Stripe stand-in', () => {
      const localOf = (env: Record<string, string>) => loadConfig(env).payments.localStripe;

      it('runs in development unless STRIPE_LOCAL=false, its address kept in STRIPE_LOCAL_FILE', () => {
        expect(localOf({ STRIPE_LOCAL_FILE: 'tmp/stripe.json' })).toEqual({
          stateFile: resolve('tmp/stripe.json'),
        });
        expect(localOf({ STRIPE_LOCAL: 'false' })).toBeNull();
      });

      it('gives way to a Stripe account, and is off in tests unless asked for', () => {
        expect(localOf({ STRIPE_SECRET_KEY: 'sk_test_abc' })).toBeNull();
        expect(localOf({ NODE_ENV: 'test' })).toBeNull();
        expect(localOf({ NODE_ENV: 'test', STRIPE_LOCAL: 'true' })).not.toBeNull();
      });

      it('is refused in production, naming STRIPE_LOCAL, and never runs there by default', () => {
        expect(refusal({ NODE_ENV: 'production', ...OIDC, STRIPE_LOCAL: 'true' }).message).toMatch(
          /^STRIPE_LOCAL=true is refused when NODE_ENV=production/,
        );
        expect(localOf({ NODE_ENV: 'production', ...OIDC })).toBeNull();
      });

      it('refuses STRIPE_LOCAL=true beside STRIPE_SECRET_KEY, and values other than true or false', () => {
        expect(refusal({ STRIPE_LOCAL: 'true', STRIPE_SECRET_KEY: 'sk_test_abc' }).message).toMatch(
          /STRIPE_LOCAL=true and STRIPE_SECRET_KEY are both set/,
        );
        expect(refusal({ STRIPE_LOCAL: 'yes' }).message).toMatch(/^STRIPE_LOCAL must be 'true' or 'false'/);
      });
    });

    it('takes the key, the API URL and the checkout URLs as given', () => {
      const env = {
        STRIPE_SECRET_KEY: 'rk_test_abc123',
        STRIPE_API_URL: 'http://127.0.0.1:12111',
        ...CHECKOUT,
      };
      expect(loadConfig(env).payments).toMatchObject({
        stripeSecretKey: 'rk_test_abc123',
        stripeApiUrl: 'http://127.0.0.1:12111',
        successUrl: CHECKOUT.CHECKOUT_SUCCESS_URL,
        cancelUrl: CHECKOUT.CHECKOUT_CANCEL_URL,
        portalReturnUrl: CHECKOUT.PORTAL_RETURN_URL,
      });
    });

    it('derives the portal return URL from PORT outside production', () => {
      expect(loadConfig({ PORT: '8080' }).payments.portalReturnUrl).toBe(
        'http://localhost:8080/?portal=return',
      );
    });

    it.each([
      [WEBHOOK_SECRET, [WEBHOOK_SECRET]],
      ['whsec_old,whsec_new', ['whsec_old', 'whsec_new']],
      ['whsec_old, whsec_new', ['whsec_old', 'whsec_new']],
      ['whsec_a+b/c=,whsec_d-e_f,whsec_g', ['whsec_a+b/c=', 'whsec_d-e_f', 'whsec_g']],
    ])('reads STRIPE_WEBHOOK_SECRET=%j as the secrets %j', (raw, values) => {
      expect(loadConfig({ STRIPE_WEBHOOK_SECRET: raw }).payments.webhookSecrets).toEqual({ values });
    });

    it.each([
      ['STRIPE_SECRET_KEY', 'pk_test_publishable'],
      ['STRIPE_SECRET_KEY', 'sk_test_with-dash'],
      ['STRIPE_SECRET_KEY', 'secret'],
      ['STRIPE_WEBHOOK_SECRET', 'not-a-whsec'],
      ['STRIPE_WEBHOOK_SECRET', 'whsec_a,'],
      ['STRIPE_WEBHOOK_SECRET', 'whsec_a whsec_b'],
      ['STRIPE_API_URL', 'localhost:12111'],
      ['STRIPE_API_URL', 'ftp://stripe.example.com'],
      ['CHECKOUT_SUCCESS_URL', '/ok'],
      ['CHECKOUT_CANCEL_URL', 'javascript:alert(1)'],
      ['PORTAL_RETURN_URL', 'account'],
      ['PORTAL_RETURN_URL', 'ftp://app.example.com/account'],
    ])('refuses %s=%j with a message naming it', (variable, value) => {
      expect(refusal({ [variable]: value }).message).toContain(variable);
    });

    // Start-up errors go to the console and on to log collectors: a mistyped secret must not travel with them.
    it.each([
      ['STRIPE_SECRET_KEY', 'sk_live_mistyped-secret'],
      ['STRIPE_WEBHOOK_SECRET', 'whsec_mistyped secret'],
      ['AUTH_DEV_SECRET', 'short-dev-secret'],
    ])('does not repeat a malformed %s in its message', (variable, value) => {
      const { message } = refusal({ [variable]: value });
      expect(message).toContain(variable);
      expect(message).not.toContain(value);
    });

    describe('NODE_ENV=production', () => {
      const production = { NODE_ENV: 'production', ...OIDC };
      const withKey = { ...production, STRIPE_SECRET_KEY: 'sk_live_abc123' };

      it('runs without Stripe: no key and no webhook secret, so no webhook is ever accepted', () => {
        expect(loadConfig(production).payments).toMatchObject({
          stripeSecretKey: undefined,
          webhookSecrets: null,
        });
      });

      it('takes a complete Stripe configuration', () => {
        const config = loadConfig({ ...withKey, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, ...CHECKOUT });
        expect(config.payments).toMatchObject({
          stripeSecretKey: 'sk_live_abc123',
          webhookSecrets: { values: [WEBHOOK_SECRET] },
          successUrl: CHECKOUT.CHECKOUT_SUCCESS_URL,
          cancelUrl: CHECKOUT.CHECKOUT_CANCEL_URL,
          portalReturnUrl: CHECKOUT.PORTAL_RETURN_URL,
        });
      });

      it('requires STRIPE_WEBHOOK_SECRET with STRIPE_SECRET_KEY', () => {
        expect(refusal({ ...withKey, ...CHECKOUT }).message).toContain('STRIPE_WEBHOOK_SECRET');
      });

      it.each([
        ['CHECKOUT_SUCCESS_URL, CHECKOUT_CANCEL_URL, PORTAL_RETURN_URL', []],
        ['CHECKOUT_SUCCESS_URL', ['CHECKOUT_CANCEL_URL', 'PORTAL_RETURN_URL']],
        ['CHECKOUT_CANCEL_URL', ['CHECKOUT_SUCCESS_URL', 'PORTAL_RETURN_URL']],
        ['PORTAL_RETURN_URL', ['CHECKOUT_SUCCESS_URL', 'CHECKOUT_CANCEL_URL']],
      ] as const)('requires the return URLs with STRIPE_SECRET_KEY (missing: %s)', (missing, given) => {
        const urls = Object.fromEntries(given.map((name) => [name, CHECKOUT[name]]));
        const { message } = refusal({ ...withKey, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, ...urls });
        expect(message).toContain('CHECKOUT_SUCCESS_URL, CHECKOUT_CANCEL_URL and PORTAL_RETURN_URL');
        expect(message).toContain(`(missing: ${missing}).`);
      });
    });
  });

  describe('PACKAGES', () => {
    it('defaults to basic and pro, without prices, when no local Stripe stand-in runs', () => {
      const unpriced = [
        { id: 1, name: 'basic', stripePriceIds: [] },
        { id: 2, name: 'pro', stripePriceIds: [] },
      ];
      expect(loadConfig({ NODE_ENV: 'test' }).packages).toEqual(unpriced);
      expect(loadConfig({ STRIPE_LOCAL: 'false' }).packages).toEqual(unpriced);
      expect(loadConfig({ STRIPE_SECRET_KEY: 'sk_test_abc' }).packages).toEqual(unpriced);
    });

    it('defaults to basic and pro sold by the month beside the local Stripe stand-in', () => {
      expect(loadConfig({}).packages).toEqual([
        {
          id: 1,
          name: 'basic',
          stripePriceId: 'price_dev_basic_monthly',
          stripePriceIds: ['price_dev_basic_monthly'],
        },
        {
          id: 2,
          name: 'pro',
          stripePriceId: 'price_dev_pro_monthly',
          stripePriceIds: ['price_dev_pro_monthly'],
        },
      ]);
      expect(loadConfig({ PACKAGES: '1:basic' }).packages).toEqual([
        { id: 1, name: 'basic', stripePriceIds: [] },
      ]);
    });

    it('sells the first price of each package and recognises all of them', () => {
      expect(loadConfig({ PACKAGES: '2:pro:price_p3|price_p2, 1:basic:price_b2|price_b1' }).packages).toEqual(
        [
          { id: 1, name: 'basic', stripePriceId: 'price_b2', stripePriceIds: ['price_b2', 'price_b1'] },
          { id: 2, name: 'pro', stripePriceId: 'price_p3', stripePriceIds: ['price_p3', 'price_p2'] },
        ],
      );
    });

    it.each([
      ['1:basic:price_x,2:pro:price_x', 'price price_x is listed for both "basic" and "pro"'],
      ['1:basic:price_b,2:pro:price_p|price_b', 'price price_b is listed for both "basic" and "pro"'],
      ['1:basic:price_b|price_b', 'price price_b is listed for "basic" twice'],
      ['1:basic:price_b|', 'entry "1:basic:price_b|"'],
      ['1:basic:', 'entry "1:basic:"'],
      ['1:basic:price-b', 'entry "1:basic:price-b"'],
      ['1:basic:price_b:price_c', 'entry "1:basic:price_b:price_c"'],
    ])('refuses %j, naming PACKAGES and the fault', (raw, fault) => {
      const { message } = refusal({ PACKAGES: raw });
      expect(message).toMatch(/^PACKAGES /);
      expect(message).toContain(fault);
    });
  });

  describe('PACKAGES_ALLOW_RENAME', () => {
    it.each([
      ['', []],
      ['2', [2]],
      [' 3, 2,,3 ', [2, 3]],
    ])('reads %j as the ids %j', (raw, ids) => {
      expect(loadConfig({ PACKAGES_ALLOW_RENAME: raw }).packageRenamesAllowed).toEqual(ids);
    });

    it.each(['pro', '0', '2;3', '-1', '1.5'])('refuses %j, naming the variable', (raw) => {
      expect(refusal({ PACKAGES_ALLOW_RENAME: raw }).message).toMatch(/^PACKAGES_ALLOW_RENAME /);
    });
  });

  describe('ADMIN_EMAILS', () => {
    it('is empty by default', () => {
      expect(loadConfig({}).adminEmails).toEqual([]);
    });

    it.each([
      [' Boss@Example.com , ops@example.com', ['boss@example.com', 'ops@example.com']],
      ['ops@EXAMPLE.com,, ,', ['ops@example.com']],
    ])('normalizes %j to %j', (raw, emails) => {
      expect(loadConfig({ ADMIN_EMAILS: raw }).adminEmails).toEqual(emails);
    });

    it.each(['not-an-email', 'ops@', 'boss@example.com#ops'])('refuses the entry %j, naming it', (entry) => {
      const { message } = refusal({ ADMIN_EMAILS: `ops@example.com, ${entry}` });
      expect(message).toContain('ADMIN_EMAILS');
      expect(message).toContain(JSON.stringify(entry));
    });
  });
});
