import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createTestCaller, type TestCaller } from '../../src/testing/index.js';
import { expectError } from '../support/error-responses.js';
import { LedgerTables } from '../support/ledger-items.js';
import {
  defineTestPrices,
  deliver,
  newPurchase,
  stripeEvents,
  TEST_PACKAGES,
} from '../support/stripe-events.js';
import { startStripeStandIn, type StripeStandIn } from '../support/stripe-stand-in.js';
import { ledgerTableOf, createTestApp, type TestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';

// Long enough that two checkouts started together both find no customer recorded yet, and that
// the second customer create arrives while the first is still in flight at "Stripe".
const STRIPE_LATENCY_MS = 300;

describe('Checkout: one Stripe Customer per user, one open session per package', () => {
  const dynamo = useTestDynamo();
  let standIn: StripeStandIn;
  let t: TestApp;
  let tables: LedgerTables;

  beforeAll(async () => {
    standIn = await startStripeStandIn();
    t = await createTestApp(dynamo, {
      PACKAGES: TEST_PACKAGES,
      STRIPE_SECRET_KEY: 'sk_test_packgate',
      STRIPE_API_URL: standIn.url,
      CHECKOUT_SUCCESS_URL: 'https://app.example.com/ok',
      CHECKOUT_CANCEL_URL: 'https://app.example.com/cancel',
    });
    tables = new LedgerTables(dynamo, t);
  });
  beforeEach(() => {
    standIn.reset();
    defineTestPrices(standIn);
  });
  afterAll(async () => {
    await t?.close();
    await standIn?.close();
  });

  const checkout = (caller: TestCaller, pkg = 'pro') =>
    t.app.inject({
      method: 'POST',
      url: '/payments/checkout',
      headers: caller.headers,
      payload: { package: pkg },
    });
  const sessionCreates = () =>
    standIn.requests.filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions');
  const liveCustomersOf = (email: string) =>
    standIn.customers.filter((c) => c.email === email && !standIn.deletedCustomers.has(c.id));
  const customerItem = (customerId: string) =>
    dynamo.client
      .send(
        new GetCommand({
          TableName: ledgerTableOf(t.tableName),
          Key: { pk: `CUSTOMER#${customerId}`, sk: 'CUSTOMER' },
        }),
      )
      .then(({ Item }) => Item);

  /** Two checkouts of one user at once; both must end with the one customer and the one session. */
  async function expectOneCustomerAndOneSession(caller: TestCaller) {
    const answers = await Promise.all([checkout(caller), checkout(caller)]);

    const [customer] = liveCustomersOf(caller.email);
    expect(liveCustomersOf(caller.email)).toHaveLength(1);
    expect((await tables.user(caller.email))?.stripe_customer_id).toBe(customer.id);
    expect(await customerItem(customer.id)).toMatchObject({ email: caller.email });

    // Both went on to make a session, for that customer and without customer_email (Stripe refuses both).
    expect(sessionCreates()).toHaveLength(2);
    for (const sent of sessionCreates()) {
      expect(sent.form.customer).toBe(customer.id);
      expect(sent.form).not.toHaveProperty('customer_email');
    }
    // One way to pay: both callers get the session stored first; the other one is expired.
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 201]);
    const [{ id }] = answers.map((a) => a.json() as { id: string });
    expect(answers.map((a) => (a.json() as { id: string }).id)).toEqual([id, id]);
    expect(standIn.sessions.map((s) => [s.id === id, s.status]).sort()).toEqual([
      [false, 'expired'],
      [true, 'open'],
    ]);
    return customer.id;
  }

  describe('two concurrent first checkouts by one user', () => {
    it('make one customer: Stripe replays the first create to the second (same idempotency key)', async () => {
      standIn.tune({ latencyMs: STRIPE_LATENCY_MS });
      const caller = await createTestCaller(t.app, 'basic');

      await expectOneCustomerAndOneSession(caller);

      expect(standIn.customers).toHaveLength(1);
      const creates = standIn.requests.filter((r) => r.path === '/v1/customers');
      expect(creates.length).toBeGreaterThanOrEqual(2); // the second was answered 409, then replayed
      expect(new Set(creates.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    });

    it('keep one customer even once Stripe has forgotten the key: the conditional write decides', async () => {
      standIn.tune({ latencyMs: STRIPE_LATENCY_MS, keepIdempotentResults: false });
      const caller = await createTestCaller(t.app, 'basic');

      const kept = await expectOneCustomerAndOneSession(caller);

      // Stripe made two customers; the checkout that lost the write deleted its own.
      expect(standIn.customers.filter((c) => c.email === caller.email)).toHaveLength(2);
      expect([...standIn.deletedCustomers]).toEqual([expect.not.stringMatching(kept)]);
    });
  });

  describe('a later checkout', () => {
    it('of the same package while the first session is open returns that session (200)', async () => {
      const caller = await createTestCaller(t.app, 'basic');
      const first = await checkout(caller);
      expect(first.statusCode).toBe(201);

      const second = await checkout(caller);

      expect(second.statusCode).toBe(200);
      expect(second.json()).toEqual(first.json());
      expect(standIn.sessions).toHaveLength(1);
      // Asked Stripe whether it is still open rather than trusting the remembered expiry alone.
      expect(standIn.requests.at(-1)).toMatchObject({
        method: 'GET',
        path: `/v1/checkout/sessions/${standIn.sessions[0].id}`,
      });
    });

    it.each(['completed', 'expired'] as const)(
      'after the first session %s opens a new one (201), for the same customer',
      async (ending) => {
        const caller = await createTestCaller(t.app, 'none');
        const first = (await checkout(caller)).json() as { id: string };
        if (ending === 'completed') standIn.completeSession(first.id);
        else standIn.expireSession(first.id);

        const second = await checkout(caller);

        expect(second.statusCode).toBe(201);
        const { id } = second.json() as { id: string };
        expect(id).not.toBe(first.id);
        expect(standIn.sessions.find((s) => s.id === id)?.status).toBe('open');
        expect(standIn.customers).toHaveLength(1); // the stored customer, not a new one
        expect(sessionCreates().map((r) => r.form.customer)).toEqual([
          standIn.customers[0].id,
          standIn.customers[0].id,
        ]);
        // And that new session is the one a third checkout returns.
        const third = await checkout(caller);
        expect([third.statusCode, (third.json() as { id: string }).id]).toEqual([200, id]);
      },
    );

    it('of another package is a session of its own', async () => {
      const caller = await createTestCaller(t.app, 'none');
      const pro = await checkout(caller, 'pro');
      const basic = await checkout(caller, 'basic');

      expect([pro.statusCode, basic.statusCode]).toEqual([201, 201]);
      expect(standIn.sessions.map((s) => s.metadata.package_id)).toEqual(['2', '1']);
    });
  });

  describe('the users API', () => {
    it('does not show the stored Stripe customer id', async () => {
      const caller = await createTestCaller(t.app, 'basic');
      await checkout(caller);
      expect((await tables.user(caller.email))?.stripe_customer_id).toMatch(/^cus_/);

      const me = await t.app.inject({ method: 'GET', url: '/users/me', headers: caller.headers });

      expect(me.statusCode).toBe(200);
      expect(Object.keys(me.json() as object).sort()).toEqual([
        'createdAt',
        'email',
        'packageId',
        'subscription',
        'updatedAt',
      ]);
      expect(me.body).not.toContain('cus_');
    });
  });

  describe('a paid session that names only the Stripe customer', () => {
    function customerOnlyEvent(customer: string, email = 'nobody@example.com') {
      const evt = stripeEvents.checkoutCompleted(newPurchase(email, 2));
      const session = evt.data as { object: Record<string, unknown> & { metadata: Record<string, string> } };
      session.object.client_reference_id = null;
      delete session.object.metadata.email;
      session.object.customer = customer;
      return evt;
    }

    it("is granted to the customer's user", async () => {
      const caller = await createTestCaller(t.app, 'basic');
      await checkout(caller);
      const customer = standIn.customers[0].id;

      const response = await deliver(t.app, customerOnlyEvent(customer));

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ received: true, outcome: 'applied' });
      expect(await tables.packageOf(caller.email)).toBe(2);
    });

    it('of a customer packgate never recorded is parked for staff, not granted', async () => {
      const evt = customerOnlyEvent('cus_unknown');

      const response = await deliver(t.app, evt);

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ received: true, outcome: 'parked' });
      expect(await tables.marker(evt.id)).toBeUndefined();
      expect(await tables.unapplied(evt.id)).toMatchObject({
        reason: expect.stringContaining('cus_unknown'),
      });
    });
  });

  it("answers 502 without Stripe's message when Stripe refuses the request", async () => {
    const caller = await createTestCaller(t.app, 'basic');
    standIn.answerWith({
      kind: 'error',
      status: 400,
      error: {
        type: 'invalid_request_error',
        message: 'No such price: price_pro',
        param: 'line_items[0][price]',
      },
    });

    const response = await checkout(caller);

    expectError(response, 502, 'Bad Gateway', 'PAYMENTS.PROVIDER_ERROR');
    expect(response.body).not.toMatch(/price_pro|line_items|No such/);
    expect(response.json()).toMatchObject({ requestId: expect.stringMatching(/^req_/) });
  });
});
