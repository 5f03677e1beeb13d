import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createTestCaller, type TestCaller } from '../../src/testing/index.js';
import { expectError, expectUnauthenticated } from '../support/error-responses.js';
import { defineTestPrices, TEST_PACKAGES } from '../support/stripe-events.js';
import { startStripeStandIn, type StripeStandIn } from '../support/stripe-stand-in.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';

const RETURN_URL = 'https://app.example.com/account?from=portal';

describe('POST /payments/portal', () => {
  const dynamo = useTestDynamo();
  let standIn: StripeStandIn;
  let t: TestApp;
  const env = (overrides: Record<string, string> = {}) => ({
    PACKAGES: TEST_PACKAGES,
    STRIPE_SECRET_KEY: 'sk_test_packgate',
    STRIPE_API_URL: standIn.url,
    PORTAL_RETURN_URL: RETURN_URL,
    ...overrides,
  });

  beforeAll(async () => {
    standIn = await startStripeStandIn();
    t = await createTestApp(dynamo, env());
  });
  beforeEach(() => {
    standIn.reset();
    defineTestPrices(standIn);
  });
  afterAll(async () => {
    await t?.close();
    await standIn?.close();
  });

  const portal = (headers: Record<string, string>, app = t) =>
    app.app.inject({ method: 'POST', url: '/payments/portal', headers });
  const portalCreates = () => standIn.requests.filter((r) => r.path === '/v1/billing_portal/sessions');

  /** A caller who started a checkout, which recorded their Stripe customer. */
  async function buyer(app = t): Promise<TestCaller & { customer: string }> {
    const caller = await createTestCaller(app.app, 'none');
    const started = await app.app.inject({
      method: 'POST',
      url: '/payments/checkout',
      headers: caller.headers,
      payload: { package: 'basic' },
    });
    expect(started.statusCode).toBe(201);
    const customer = standIn.customers.find((c) => c.email === caller.email)?.id;
    return { ...caller, customer: String(customer) };
  }

  it("201 with the url of a portal session for the caller's customer, returning to PORTAL_RETURN_URL", async () => {
    const caller = await buyer();

    const response = await portal(caller.headers);

    expect(response.statusCode).toBe(201);
    const [session] = standIn.portalSessions;
    expect(response.json()).toEqual({ url: session.url });
    expect(portalCreates().map((r) => r.form)).toEqual([
      { customer: caller.customer, return_url: RETURN_URL },
    ]);
  });

  it('opens a new session each time (they are short-lived)', async () => {
    const caller = await buyer();
    const urls = [await portal(caller.headers), await portal(caller.headers)].map((r) => r.json().url);
    expect(new Set(urls).size).toBe(2);
  });

  it('404 PAYMENTS.NO_CUSTOMER for a caller who never started a checkout, asking Stripe nothing', async () => {
    const caller = await createTestCaller(t.app, 'pro');

    expectError(await portal(caller.headers), 404, 'Not Found', 'PAYMENTS.NO_CUSTOMER');
    expect(standIn.requests).toHaveLength(0);
  });

  it('401 without a token', async () => {
    expectUnauthenticated(await portal({}));
    expect(standIn.requests).toHaveLength(0);
  });

  it("502 PAYMENTS.PROVIDER_ERROR when Stripe refuses (a customer deleted at Stripe), without Stripe's words", async () => {
    const caller = await buyer();
    standIn.answerWith({
      kind: 'error',
      status: 400,
      error: { type: 'invalid_request_error', message: 'No such customer', param: 'customer' },
    });

    const response = await portal(caller.headers);

    expectError(response, 502, 'Bad Gateway', 'PAYMENTS.PROVIDER_ERROR');
    expect(JSON.stringify(response.json())).not.toContain('No such customer');
    expect(response.json()).toMatchObject({ requestId: expect.stringMatching(/^req_/) });
  });

  it('503 DEPENDENCY.UNAVAILABLE when Stripe answers 500, after the SDK retried', async () => {
    const caller = await buyer();
    standIn.answerWith({ kind: 'error', status: 500, error: { type: 'api_error', message: 'Try again' } });

    const response = await portal(caller.headers);

    expectError(response, 503, 'Service Unavailable', 'DEPENDENCY.UNAVAILABLE');
    expect(response.headers['retry-after']).toBe('1');
    expect(portalCreates()).toHaveLength(3);
  });

  it('503 DEPENDENCY.UNAVAILABLE naming STRIPE_SECRET_KEY when it is not set', async () => {
    const unconfigured = await createTestApp(dynamo, env({ STRIPE_SECRET_KEY: '' }));
    try {
      const caller = await createTestCaller(unconfigured.app, 'none');
      const response = await portal(caller.headers, unconfigured);

      expectError(response, 503, 'Service Unavailable', 'DEPENDENCY.UNAVAILABLE');
      expect(response.json()).toMatchObject({ message: expect.stringContaining('STRIPE_SECRET_KEY') });
    } finally {
      await unconfigured.close();
    }
  });

  it('returns to the local site by default outside production', async () => {
    const local = await createTestApp(dynamo, env({ PORTAL_RETURN_URL: '', PORT: '4321' }));
    try {
      await portal((await buyer(local)).headers, local);
      expect(portalCreates().map((r) => r.form.return_url)).toEqual(['http://localhost:4321/?portal=return']);
    } finally {
      await local.close();
    }
  });
});
