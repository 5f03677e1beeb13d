import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createTestCaller } from '../../src/testing/index.js';
import { expectError, expectUnauthenticated } from '../support/error-responses.js';
import { defineTestPrices, TEST_PACKAGES } from '../support/stripe-events.js';
import { startStripeStandIn, type StripeStandIn } from '../support/stripe-stand-in.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken } from '../support/tokens.js';

const SECRET_KEY = 'sk_test_packgate';
const SUCCESS_URL = 'https://app.example.com/ok';
const CANCEL_URL = 'https://app.example.com/cancel';
// Three attempts (the SDK's two network retries) with 0.5-1 s back-off between them, well inside this.
const UNREACHABLE_BOUND_MS = 5_000;

const checkoutEnv = (stripeApiUrl: string, overrides: Record<string, string> = {}) => ({
  PACKAGES: TEST_PACKAGES,
  STRIPE_SECRET_KEY: SECRET_KEY,
  STRIPE_API_URL: stripeApiUrl,
  CHECKOUT_SUCCESS_URL: SUCCESS_URL,
  CHECKOUT_CANCEL_URL: CANCEL_URL,
  ...overrides,
});

describe('POST /payments/checkout', () => {
  const dynamo = useTestDynamo();
  let standIn: StripeStandIn;
  let t: TestApp;

  beforeAll(async () => {
    standIn = await startStripeStandIn();
    t = await createTestApp(dynamo, checkoutEnv(standIn.url));
  });
  beforeEach(() => {
    standIn.reset();
    defineTestPrices(standIn);
  });
  afterAll(async () => {
    await t?.close();
    await standIn?.close();
  });

  type Payload = string | object;
  const checkout = (app: TestApp, headers: Record<string, string>, payload: Payload) =>
    app.app.inject({ method: 'POST', url: '/payments/checkout', headers, payload });

  /** The requests that created Checkout Sessions (the first checkout also creates the customer). */
  const sessionCreates = () =>
    standIn.requests.filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions');

  async function callerAt(pkg: string) {
    return (await createTestCaller(t.app, pkg)).headers;
  }

  async function timedCheckout(app: TestApp) {
    const headers = (await createTestCaller(app.app, 'basic')).headers;
    const started = performance.now();
    const response = await checkout(app, headers, { package: 'pro' });
    return { response, elapsedMs: performance.now() - started };
  }

  describe('creates a Checkout Session at Stripe', () => {
    it('for the caller, with the metadata the webhook grants from', async () => {
      // The token carries the address as the identity provider spelled it; Stripe gets the canonical one.
      const spelled = `Buyer.${randomUUID()}@Example.COM`;
      const caller = await createTestCaller(t.app, 'basic', { email: spelled });
      expect(caller.email).toBe(spelled.toLowerCase());

      const response = await checkout(t, bearer(await devToken(spelled)), { package: 'pro' });

      expect(response.statusCode).toBe(201);
      const [session] = standIn.sessions;
      expect(response.json()).toEqual({ id: session.id, url: session.url });
      expect(session.id).toMatch(/^cs_test_/);
      expect(session.url).toBe(`https://checkout.stripe.com/c/pay/${session.id}`);

      // The caller's first checkout makes their Stripe Customer, then the session for it (the price's
      // type is asked once per process: see payments-subscription-checkout).
      const calls = standIn.requests.filter((r) => !r.path.startsWith('/v1/prices/'));
      expect(calls).toHaveLength(2);
      const [customerCreate, sent] = calls;
      const [customer] = standIn.customers;
      expect(customerCreate).toMatchObject({ method: 'POST', path: '/v1/customers' });
      expect(customerCreate.form).toEqual({
        email: caller.email,
        'metadata[packgate_email]': caller.email,
      });
      const emailHash = createHash('sha256').update(caller.email).digest('hex');
      expect(customerCreate.headers['idempotency-key']).toBe(`packgate-customer-${emailHash}`);
      expect(sent).toMatchObject({ method: 'POST', path: '/v1/checkout/sessions' });
      expect(sent.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
      expect(sent.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
      // Set by the SDK because it retries: a retried create must not open a second session.
      expect(sent.headers['idempotency-key']).toEqual(expect.any(String));
      expect(sent.form).toEqual({
        mode: 'payment',
        'line_items[0][price]': 'price_pro',
        'line_items[0][quantity]': '1',
        client_reference_id: caller.email,
        customer: customer.id,
        'metadata[email]': caller.email,
        'metadata[package_id]': '2',
        'metadata[price_id]': 'price_pro',
        'payment_intent_data[metadata][email]': caller.email,
        'payment_intent_data[metadata][package_id]': '2',
        success_url: SUCCESS_URL,
        cancel_url: CANCEL_URL,
      });
    });

    it.each([
      ['basic', { package: 2 }, '2', 'price_pro'],
      ['none', { package: 'basic' }, '1', 'price_basic'],
      ['none', { package: 1 }, '1', 'price_basic'],
    ])('for a %s caller asking %j', async (current, payload, packageId, price) => {
      const response = await checkout(t, await callerAt(current), payload);

      expect(response.statusCode).toBe(201);
      expect(response.json()).toEqual({ id: standIn.sessions[0].id, url: standIn.sessions[0].url });
      expect(sessionCreates()).toHaveLength(1);
      expect(sessionCreates()[0].form).toMatchObject({
        'line_items[0][price]': price,
        'line_items[0][quantity]': '1',
        'metadata[package_id]': packageId,
        'metadata[price_id]': price,
      });
    });
  });

  describe('refuses without calling Stripe', () => {
    // `"2"` is a name (no package has one): ids are JSON integers; `0` and `"none"` are not for sale.
    it.each(['gold', 'none', 0, '2', 3])('400 PAYMENTS.UNKNOWN_PACKAGE for %j', async (pkg) => {
      const response = await checkout(t, await callerAt('basic'), { package: pkg });

      expectError(response, 400, 'Bad Request', 'PAYMENTS.UNKNOWN_PACKAGE');
      expect(standIn.requests).toHaveLength(0);
    });

    it.each<[string, Payload, string]>([
      ['an empty object', {}, 'application/json'],
      ['an extra field', { package: 'pro', extra: 1 }, 'application/json'],
      ['an empty name', { package: '' }, 'application/json'],
      ['a negative id', { package: -1 }, 'application/json'],
      ['a fractional id', { package: 1.5 }, 'application/json'],
      ['an array', ['pro'], 'application/json'],
      ['malformed JSON', '{"package": "pro"', 'application/json'],
      ['an empty JSON body', '', 'application/json'],
    ])('400 REQUEST.INVALID for %s', async (_label, payload, contentType) => {
      const headers = { ...(await callerAt('basic')), 'content-type': contentType };
      const response = await checkout(t, headers, payload);

      expectError(response, 400, 'Bad Request', 'REQUEST.INVALID');
      expect(standIn.requests).toHaveLength(0);
    });

    it.each([
      ['plain text', 'pro', 'text/plain'],
      ['a form', 'package=pro', 'application/x-www-form-urlencoded'],
      ['no content type', '{"package":"pro"}', undefined],
    ])('415 REQUEST.UNSUPPORTED_MEDIA_TYPE for %s', async (_label, payload, contentType) => {
      const headers: Record<string, string> = await callerAt('basic');
      const response = await t.app.inject({
        method: 'POST',
        url: '/payments/checkout',
        headers: contentType ? { ...headers, 'content-type': contentType } : headers,
        payload,
      });

      expectError(response, 415, 'Unsupported Media Type', 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
      expect(standIn.requests).toHaveLength(0);
    });

    it.each([
      ['pro', 'pro'],
      ['pro', 'basic'],
      ['basic', 'basic'],
    ])('409 PAYMENTS.ALREADY_OWNED for a %s caller asking %s', async (current, pkg) => {
      const response = await checkout(t, await callerAt(current), { package: pkg });

      expectError(response, 409, 'Conflict', 'PAYMENTS.ALREADY_OWNED');
      expect(response.json()).toMatchObject({ currentPackage: current });
      expect(standIn.requests).toHaveLength(0);
    });

    it('401 without a token', async () => {
      expectUnauthenticated(await checkout(t, {}, { package: 'pro' }));
      expect(standIn.requests).toHaveLength(0);
    });

    it('400 PAYMENTS.NOT_FOR_SALE for a package without a Stripe price', async () => {
      const unpriced = await createTestApp(
        dynamo,
        checkoutEnv(standIn.url, { PACKAGES: '1:basic:price_basic,2:pro' }),
      );
      try {
        const headers = (await createTestCaller(unpriced.app, 'basic')).headers;
        const response = await checkout(unpriced, headers, { package: 'pro' });

        expectError(response, 400, 'Bad Request', 'PAYMENTS.NOT_FOR_SALE');
        expect(response.json()).toMatchObject({ package: 'pro' });
        expect(standIn.requests).toHaveLength(0);
      } finally {
        await unpriced.close();
      }
    });

    it('503 DEPENDENCY.UNAVAILABLE naming STRIPE_SECRET_KEY when it is not set', async () => {
      const unconfigured = await createTestApp(dynamo, checkoutEnv(standIn.url, { STRIPE_SECRET_KEY: '' }));
      try {
        const headers = (await createTestCaller(unconfigured.app, 'basic')).headers;
        const response = await checkout(unconfigured, headers, { package: 'pro' });

        expectError(response, 503, 'Service Unavailable', 'DEPENDENCY.UNAVAILABLE');
        expect(response.json()).toMatchObject({ message: expect.stringContaining('STRIPE_SECRET_KEY') });
        expect(response.headers['retry-after']).toBe('1');
        expect(standIn.requests).toHaveLength(0);
      } finally {
        await unconfigured.close();
      }
    });
  });

  describe('when Stripe fails', () => {
    it("502 PAYMENTS.PROVIDER_ERROR when Stripe refuses the request, without Stripe's words", async () => {
      standIn.answerWith({
        kind: 'error',
        status: 400,
        error: { type: 'invalid_request_error', message: 'No such price', param: 'line_items[0][price]' },
      });
      const response = await checkout(t, await callerAt('basic'), { package: 'pro' });

      expectError(response, 502, 'Bad Gateway', 'PAYMENTS.PROVIDER_ERROR');
      const body = response.json() as { message: string; requestId: string };
      // Stripe's message is for the merchant: logged, not shown. The request id is for support.
      expect(JSON.stringify(body)).not.toMatch(/No such price|line_items/);
      expect(body.requestId).toMatch(/^req_/);
      expect(body.message).toContain(body.requestId);
      expect(standIn.requests).toHaveLength(1); // a refusal is not retried
    });

    it('503 DEPENDENCY.UNAVAILABLE when Stripe answers 500, after the SDK retried', async () => {
      standIn.answerWith({ kind: 'error', status: 500, error: { type: 'api_error', message: 'Try again' } });
      const { response, elapsedMs } = await timedCheckout(t);

      expectError(response, 503, 'Service Unavailable', 'DEPENDENCY.UNAVAILABLE');
      expect(response.headers['retry-after']).toBe('1');
      expect(standIn.requests).toHaveLength(3);
      expect(elapsedMs).toBeLessThan(UNREACHABLE_BOUND_MS);
    });

    it(`503 DEPENDENCY.UNAVAILABLE within ${UNREACHABLE_BOUND_MS} ms when Stripe drops the connection`, async () => {
      standIn.answerWith({ kind: 'drop-connection' });
      const { response, elapsedMs } = await timedCheckout(t);

      expectError(response, 503, 'Service Unavailable', 'DEPENDENCY.UNAVAILABLE');
      expect(response.headers['retry-after']).toBe('1');
      expect(elapsedMs).toBeLessThan(UNREACHABLE_BOUND_MS);
      // Every attempt is the same create: Stripe would answer a retry of a processed one, not repeat it.
      expect(standIn.requests).toHaveLength(3);
      const keys = new Set(standIn.requests.map((request) => request.headers['idempotency-key']));
      expect(keys.size).toBe(1);
    });

    it(`503 DEPENDENCY.UNAVAILABLE within ${UNREACHABLE_BOUND_MS} ms when nothing listens at STRIPE_API_URL`, async () => {
      const stopped = await startStripeStandIn();
      await stopped.close();
      const unreachable = await createTestApp(dynamo, checkoutEnv(stopped.url));
      try {
        const { response, elapsedMs } = await timedCheckout(unreachable);

        expectError(response, 503, 'Service Unavailable', 'DEPENDENCY.UNAVAILABLE');
        expect(response.headers['retry-after']).toBe('1');
        expect(elapsedMs).toBeLessThan(UNREACHABLE_BOUND_MS);
        expect(stopped.requests).toHaveLength(0);
      } finally {
        await unreachable.close();
      }
    });
  });
});
