import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createTestCaller, type TestCaller } from '../../src/testing/index.js';
import { expectError } from '../support/error-responses.js';
import { startStripeStandIn, type StripeStandIn } from '../support/stripe-stand-in.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';

const SUCCESS_URL = 'https://app.example.com/ok';
const CANCEL_URL = 'https://app.example.com/cancel';
// basic is sold once and for ever, pro by the month: Stripe says which, PACKAGES does not.
const PACKAGES = '1:basic:price_basic,2:pro:price_pro_monthly';

describe('POST /payments/checkout for a recurring price', () => {
  const dynamo = useTestDynamo();
  let standIn: StripeStandIn;
  let t: TestApp;
  const env = () => ({
    PACKAGES,
    STRIPE_SECRET_KEY: 'sk_test_packgate',
    STRIPE_API_URL: standIn.url,
    CHECKOUT_SUCCESS_URL: SUCCESS_URL,
    CHECKOUT_CANCEL_URL: CANCEL_URL,
  });

  beforeAll(async () => {
    standIn = await startStripeStandIn();
    t = await createTestApp(dynamo, env());
  });
  beforeEach(() => {
    standIn.reset();
    standIn.definePrice({ id: 'price_basic' });
    standIn.definePrice({ id: 'price_pro_monthly', recurring: { interval: 'month' } });
  });
  afterAll(async () => {
    await t?.close();
    await standIn?.close();
  });

  const checkout = (caller: TestCaller, pkg: string, app = t) =>
    app.app.inject({
      method: 'POST',
      url: '/payments/checkout',
      headers: caller.headers,
      payload: { package: pkg },
    });
  const sessionCreates = () =>
    standIn.requests.filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions');
  const requestsTo = (path: string) => standIn.requests.filter((r) => r.path === path);
  const customerOf = (email: string) => standIn.customers.find((c) => c.email === email)?.id;

  /** A caller who completed a subscription checkout for pro: Stripe now has their active subscription. */
  async function subscriber(): Promise<{ caller: TestCaller; subscription: string }> {
    const caller = await createTestCaller(t.app, 'none');
    const started = await checkout(caller, 'pro');
    expect(started.statusCode).toBe(201);
    const session = standIn.completeSession((started.json() as { id: string }).id);
    return { caller, subscription: String(session.subscription) };
  }

  it("opens a subscription-mode session for the caller's customer, naming user and package on the subscription", async () => {
    const caller = await createTestCaller(t.app, 'none');

    const response = await checkout(caller, 'pro');

    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ id: standIn.sessions[0].id, url: standIn.sessions[0].url });
    const customer = customerOf(caller.email);
    const named = { email: caller.email, package_id: '2', price_id: 'price_pro_monthly' };
    expect(sessionCreates().map((r) => r.form)).toEqual([
      {
        mode: 'subscription',
        'line_items[0][price]': 'price_pro_monthly',
        'line_items[0][quantity]': '1',
        client_reference_id: caller.email,
        customer,
        'metadata[email]': named.email,
        'metadata[package_id]': named.package_id,
        'metadata[price_id]': named.price_id,
        'subscription_data[metadata][email]': named.email,
        'subscription_data[metadata][package_id]': named.package_id,
        'subscription_data[metadata][price_id]': named.price_id,
        success_url: SUCCESS_URL,
        cancel_url: CANCEL_URL,
      },
    ]);
    // A caller without a customer has never subscribed: Stripe is not asked.
    expect(requestsTo('/v1/subscriptions')).toHaveLength(0);

    // What the subscription's events will carry once the buyer pays.
    const session = standIn.completeSession(standIn.sessions[0].id);
    expect(standIn.subscription(String(session.subscription))).toMatchObject({
      customer,
      status: 'active',
      metadata: named,
    });
  });

  it('keeps payment mode for a one-time price', async () => {
    const caller = await createTestCaller(t.app, 'none');

    expect((await checkout(caller, 'basic')).statusCode).toBe(201);

    const [sent] = sessionCreates();
    expect(sent.form).toMatchObject({
      mode: 'payment',
      'line_items[0][price]': 'price_basic',
      'payment_intent_data[metadata][package_id]': '1',
    });
    expect(Object.keys(sent.form).filter((key) => key.startsWith('subscription_data'))).toEqual([]);
  });

  it("asks Stripe for a price's type once per process", async () => {
    const fresh = await createTestApp(dynamo, env());
    try {
      for (const pkg of ['pro', 'pro', 'basic']) {
        const caller = await createTestCaller(fresh.app, 'none');
        expect((await checkout(caller, pkg, fresh)).statusCode).toBe(201);
      }
      expect(requestsTo('/v1/prices/price_pro_monthly')).toHaveLength(1);
      expect(requestsTo('/v1/prices/price_basic')).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });

  it('gives an open subscription session back instead of opening a second one', async () => {
    const caller = await createTestCaller(t.app, 'none');
    const first = await checkout(caller, 'pro');
    const second = await checkout(caller, 'pro');

    expect([first.statusCode, second.statusCode]).toEqual([201, 200]);
    expect(second.json()).toEqual(first.json());
    expect(sessionCreates()).toHaveLength(1);
  });

  describe('a caller with a subscription in force', () => {
    it.each([
      ['active', () => {}],
      ['trialing', (id: string) => standIn.updateSubscription(id, { status: 'trialing' })],
      ['past_due', (id: string) => standIn.failRenewal(id)],
    ])('409 PAYMENTS.ALREADY_SUBSCRIBED (%s), linking the portal, opening nothing', async (status, make) => {
      const { caller, subscription } = await subscriber();
      make(subscription);
      expect(standIn.subscription(subscription).status).toBe(status);

      const response = await checkout(caller, 'pro');

      expectError(response, 409, 'Conflict', 'PAYMENTS.ALREADY_SUBSCRIBED');
      expect(response.json()).toMatchObject({ portal: '/payments/portal' });
      expect(sessionCreates()).toHaveLength(1);
      // Every status asked for: Stripe's default list would leave some out without saying so.
      const [listed] = requestsTo('/v1/subscriptions');
      expect(listed.form).toMatchObject({ customer: customerOf(caller.email), status: 'all' });
    });

    it('409 too for a subscription made at Stripe outside our checkout', async () => {
      const caller = await createTestCaller(t.app, 'none');
      await checkout(caller, 'basic');
      const customer = String(customerOf(caller.email));
      standIn.createSubscription({ customer, price: 'price_pro_monthly' });

      expectError(await checkout(caller, 'pro'), 409, 'Conflict', 'PAYMENTS.ALREADY_SUBSCRIBED');
    });

    it('may still buy a one-time package', async () => {
      const { caller } = await subscriber();

      const response = await checkout(caller, 'basic');

      expect(response.statusCode).toBe(201);
      expect(sessionCreates().at(-1)?.form.mode).toBe('payment');
    });
  });

  it.each([
    ['canceled', (id: string) => standIn.cancelSubscription(id)],
    ['unpaid', (id: string) => standIn.updateSubscription(id, { status: 'unpaid' })],
    ['paused', (id: string) => standIn.updateSubscription(id, { status: 'paused' })],
  ])('a caller whose subscription is %s may subscribe again', async (_status, end) => {
    const { caller, subscription } = await subscriber();
    end(subscription);

    const response = await checkout(caller, 'pro');

    expect(response.statusCode).toBe(201);
    expect(sessionCreates()).toHaveLength(2);
    expect(sessionCreates()[1].form.customer).toBe(customerOf(caller.email));
  });

  describe('when Stripe fails', () => {
    it('502 PAYMENTS.PROVIDER_ERROR when Stripe has no such price, before any customer is made', async () => {
      const unknown = await createTestApp(dynamo, {
        ...env(),
        PACKAGES: '1:basic:price_basic,2:pro:price_gone',
      });
      try {
        const caller = await createTestCaller(unknown.app, 'none');
        const response = await checkout(caller, 'pro', unknown);

        expectError(response, 502, 'Bad Gateway', 'PAYMENTS.PROVIDER_ERROR');
        expect(response.json()).toMatchObject({ requestId: expect.stringMatching(/^req_/) });
        expect(standIn.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/prices/price_gone']);
      } finally {
        await unknown.close();
      }
    });

    it('503 DEPENDENCY.UNAVAILABLE when the subscriptions cannot be listed', async () => {
      const { caller } = await subscriber();
      standIn.answerWith({ kind: 'error', status: 500, error: { type: 'api_error', message: 'Try again' } });

      const response = await checkout(caller, 'pro');

      expectError(response, 503, 'Service Unavailable', 'DEPENDENCY.UNAVAILABLE');
      expect(standIn.requests.filter((r) => r.path === '/v1/subscriptions').length).toBeGreaterThan(0);
    });
  });
});
