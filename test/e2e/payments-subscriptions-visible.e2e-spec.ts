import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { LedgerTables } from '../support/ledger-items.js';
import { deliver, newPurchase, stripeEvents } from '../support/stripe-events.js';
import { startStripeStandIn, type StripeStandIn } from '../support/stripe-stand-in.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

// basic and pro are sold by the month; pro also had a one-time price, still honoured.
const PACKAGES = '1:basic:price_basic_m|price_basic,2:pro:price_pro_m|price_pro';
const STAFF = 'staff@example.com';
const DAY_S = 86_400;
const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

describe('payments: what subscribers see (/users/me, the 402 body, staff history)', () => {
  const dynamo = useTestDynamo();
  let standIn: StripeStandIn;
  let t: TestApp;
  const tables = new LedgerTables(dynamo, {
    get tableName() {
      return t.tableName;
    },
  });

  beforeAll(async () => {
    standIn = await startStripeStandIn();
    t = await createTestApp(dynamo, {
      PACKAGES,
      STRIPE_SECRET_KEY: 'sk_test_subscriptions',
      STRIPE_API_URL: standIn.url,
      SUBSCRIPTION_GRACE: '2s',
      SUBSCRIPTION_RENEWAL_SLACK: '2s',
      ENTITLEMENT_CACHE_TTL_MS: '60000', // long: lapses must end cache entries by themselves
      ADMIN_EMAILS: STAFF,
    });
  });
  beforeEach(() => {
    standIn.reset();
    standIn.definePrice({ id: 'price_basic_m', recurring: { interval: 'month' } });
    standIn.definePrice({ id: 'price_pro_m', recurring: { interval: 'month' } });
  });
  afterAll(async () => {
    await t?.close();
    await standIn?.close();
  });

  /** A subscription at Stripe for a new user (named in our metadata, as our checkout does). */
  function subscribe(price = 'price_pro_m', label = 'subscriber') {
    const email = uniqueEmail(label);
    const customer = standIn.createCustomer({ email });
    const subscription = standIn.createSubscription({ customer, price, metadata: { email } });
    return { email, id: subscription.id };
  }
  /** Sets Stripe's clock so that a monthly subscription created now ends its first period at `end`. */
  function clockForPeriodEnd(end: number): void {
    let start = end - 30 * DAY_S;
    for (let attempt = 0; attempt < 4; attempt++) {
      standIn.setClock(start);
      const probe = standIn.createSubscription({ customer: standIn.createCustomer(), price: 'price_pro_m' });
      const probeEnd = probe.items.data[0].current_period_end;
      if (probeEnd === end) return;
      start += end - probeEnd;
    }
    throw new Error(`no start gives a period ending at ${end}`);
  }
  const tell = (type: Parameters<typeof stripeEvents.subscription>[0], id: string) =>
    deliver(t.app, stripeEvents.subscription(type, standIn.subscription(id)));
  const periodEndOf = (id: string) => standIn.subscription(id).items.data[0].current_period_end;
  const as = async (email: string) => bearer(await devToken(email));
  const me = async (email: string) =>
    t.app.inject({ method: 'GET', url: '/users/me', headers: await as(email) });
  const pro = async (email: string) =>
    t.app.inject({ method: 'GET', url: '/content/pro', headers: await as(email) });

  describe('GET /users/me', () => {
    it('shows a subscriber their package, status and when it renews (the period end)', async () => {
      const { email, id } = subscribe();
      await tell('customer.subscription.created', id);
      const answer = await me(email);
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toMatchObject({
        email,
        packageId: 2,
        subscription: {
          package: 'pro',
          status: 'active',
          renewsAt: iso(periodEndOf(id)),
          cancelAtPeriodEnd: false,
        },
      });
      expect(Object.keys(answer.json().subscription).sort()).toEqual([
        'cancelAtPeriodEnd',
        'package',
        'renewsAt',
        'status',
      ]);
      expect(answer.body).not.toContain(id); // the Stripe subscription id is not the user's concern
      // POST /users/me (registration of an existing user) answers the same shape.
      const registered = await t.app.inject({ method: 'POST', url: '/users/me', headers: await as(email) });
      expect(registered.statusCode).toBe(200);
      expect(registered.json()).toEqual(answer.json());
    });

    it('follows an upgrade in the portal', async () => {
      const { email, id } = subscribe('price_basic_m');
      await tell('customer.subscription.created', id);
      expect((await me(email)).json().subscription).toMatchObject({ package: 'basic' });
      standIn.updateSubscription(id, { price: 'price_pro_m' });
      await tell('customer.subscription.updated', id);
      expect((await me(email)).json().subscription).toMatchObject({ package: 'pro', status: 'active' });
    });

    it('after cancel at period end: no renewal, cancelAtPeriodEnd true, access kept', async () => {
      const { email, id } = subscribe();
      await tell('customer.subscription.created', id);
      standIn.updateSubscription(id, { cancelAtPeriodEnd: true });
      await tell('customer.subscription.updated', id);
      expect((await me(email)).json()).toMatchObject({
        packageId: 2,
        subscription: { package: 'pro', status: 'active', renewsAt: null, cancelAtPeriodEnd: true },
      });
      expect((await pro(email)).statusCode).toBe(200);
    });

    it('after deletion: the ended subscription, status canceled, no renewal', async () => {
      const { email, id } = subscribe();
      await tell('customer.subscription.created', id);
      standIn.cancelSubscription(id);
      await tell('customer.subscription.deleted', id);
      expect((await me(email)).json()).toMatchObject({
        packageId: 0,
        subscription: { package: 'pro', status: 'canceled', renewsAt: null, cancelAtPeriodEnd: false },
      });
    });

    it('shows the subscription giving the highest package when there are two', async () => {
      const email = uniqueEmail('two-subscriptions');
      const customer = standIn.createCustomer({ email });
      const basic = standIn.createSubscription({ customer, price: 'price_basic_m', metadata: { email } });
      const premium = standIn.createSubscription({ customer, price: 'price_pro_m', metadata: { email } });
      await tell('customer.subscription.created', premium.id);
      await tell('customer.subscription.created', basic.id); // heard of last, gives less
      expect((await me(email)).json().subscription).toMatchObject({ package: 'pro', status: 'active' });
      standIn.cancelSubscription(premium.id);
      await tell('customer.subscription.deleted', premium.id);
      // The pro one ended; the basic one now gives the most.
      expect((await me(email)).json()).toMatchObject({
        packageId: 1,
        subscription: { package: 'basic', status: 'active', renewsAt: iso(periodEndOf(basic.id)) },
      });
      expect((await tables.user(email))?.subscription).toMatchObject({ key: basic.id, package_id: 1 });
    });

    it('is null for a one-time buyer', async () => {
      const email = uniqueEmail('one-time');
      await deliver(t.app, stripeEvents.checkoutCompleted(newPurchase(email, 2)));
      const answer = await me(email);
      expect(answer.json()).toMatchObject({ packageId: 2, subscription: null });
    });
  });

  describe('the 402 body', () => {
    it('says subscription_past_due once the grace after a failed payment is over', async () => {
      const { email, id } = subscribe();
      await tell('customer.subscription.created', id);
      const { invoice } = standIn.failRenewal(id);
      await deliver(t.app, stripeEvents.invoice('invoice.payment_failed', invoice));
      expect((await pro(email)).statusCode).toBe(200); // within SUBSCRIPTION_GRACE (2 s)
      await sleep(Math.max(0, invoice.created * 1000 + 2000 - Date.now()) + 300);
      const refused = await pro(email);
      expect(refused.statusCode).toBe(402);
      expect(refused.json()).toEqual({
        statusCode: 402,
        error: 'Payment Required',
        code: 'PAYMENTS.PACKAGE_REQUIRED',
        message: expect.any(String),
        requiredPackage: 'pro',
        currentPackage: 'none',
        checkout: '/payments/checkout',
        reason: 'subscription_past_due',
        portal: '/payments/portal',
      });
      expect((await me(email)).json().subscription).toMatchObject({ status: 'past_due' });
    }, 20_000);

    it('says subscription_ended after a deletion, from the cache as from the table', async () => {
      const { email, id } = subscribe();
      await tell('customer.subscription.created', id);
      expect((await pro(email)).statusCode).toBe(200);
      standIn.cancelSubscription(id);
      await tell('customer.subscription.deleted', id);
      for (let request = 0; request < 2; request++) {
        const refused = await pro(email);
        expect(refused.statusCode).toBe(402);
        expect(refused.json()).toMatchObject({ reason: 'subscription_ended', portal: '/payments/portal' });
      }
      // Another instance, whose cache never saw the change, reads the same from the table.
      const other = await createTestApp(dynamo, {
        PACKAGES,
        DYNAMO_TABLE_NAME: t.tableName,
        STRIPE_SECRET_KEY: 'sk_test_subscriptions',
        STRIPE_API_URL: standIn.url,
      });
      try {
        const refused = await other.app.inject({
          method: 'GET',
          url: '/content/pro',
          headers: await as(email),
        });
        expect(refused.json()).toMatchObject({ reason: 'subscription_ended', portal: '/payments/portal' });
      } finally {
        await other.close();
      }
    });

    it('says subscription_ended when access ends at the period end with no event', async () => {
      clockForPeriodEnd(Math.floor(Date.now() / 1000) + 2);
      const { email, id } = subscribe();
      const periodEnd = periodEndOf(id);
      standIn.setClock(Math.floor(Date.now() / 1000));
      standIn.updateSubscription(id, { cancelAtPeriodEnd: true });
      await tell('customer.subscription.updated', id);
      await sleep(Math.max(0, periodEnd * 1000 - Date.now()) + 300);
      const refused = await pro(email);
      expect(refused.statusCode).toBe(402);
      expect(refused.json()).toMatchObject({ reason: 'subscription_ended', portal: '/payments/portal' });
    }, 20_000);

    it('has no reason for a caller who never paid, nor for a one-time buyer below the route', async () => {
      const never = uniqueEmail('never-paid');
      await t.app.inject({ method: 'POST', url: '/users/me', headers: await as(never) });
      const once = uniqueEmail('basic-once');
      await deliver(t.app, stripeEvents.checkoutCompleted(newPurchase(once, 1)));
      for (const email of [never, once]) {
        const refused = await pro(email);
        expect(refused.statusCode).toBe(402);
        expect(Object.keys(refused.json()).sort()).toEqual([
          'checkout',
          'code',
          'currentPackage',
          'error',
          'message',
          'requiredPackage',
          'statusCode',
        ]);
      }
    });

    it('has no reason for a subscriber whose package is below the route', async () => {
      const { email, id } = subscribe('price_basic_m');
      await tell('customer.subscription.created', id);
      const refused = await pro(email);
      expect(refused.statusCode).toBe(402);
      expect(refused.json()).not.toHaveProperty('reason');
    });
  });

  it('staff history shows each subscription change with the event that made it', async () => {
    const { email, id } = subscribe('price_basic_m');
    const created = stripeEvents.subscription('customer.subscription.created', standIn.subscription(id));
    await deliver(t.app, created);
    standIn.updateSubscription(id, { price: 'price_pro_m' });
    const updated = stripeEvents.subscription('customer.subscription.updated', standIn.subscription(id));
    await deliver(t.app, updated);
    const answer = await t.app.inject({
      method: 'GET',
      url: `/admin/users/${email}/history`,
      headers: await as(STAFF),
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json().history).toEqual([
      expect.objectContaining({
        from: 1,
        to: 2,
        source: { type: 'stripe', eventId: updated.id, eventType: 'customer.subscription.updated' },
      }),
      expect.objectContaining({
        from: 0,
        to: 1,
        source: { type: 'stripe', eventId: created.id, eventType: 'customer.subscription.created' },
      }),
    ]);
  });
});
