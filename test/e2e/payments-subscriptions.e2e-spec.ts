import { beforeEach, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { LedgerTables, proContentStatus } from '../support/ledger-items.js';
import { deliver, newPurchase, stripeEvents } from '../support/stripe-events.js';
import { TEST_STRIPE_SECRET_KEY, useStripeTestApp } from '../support/stripe-test-app.js';
import { createTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { uniqueEmail } from '../support/tokens.js';
import { createTestCaller } from '../../src/testing/index.js';
import type { SubscriptionState } from '../../src/payments/subscriptions/subscription-access.js';

// basic and pro are sold by the month; pro also had a one-time price, still honoured.
const PACKAGES = '1:basic:price_basic_m|price_basic,2:pro:price_pro_m|price_pro';
const DAY_S = 86_400;
const applied = { received: true, outcome: 'applied' };

describe('payments: subscriptions', () => {
  const dynamo = useTestDynamo();
  const t = useStripeTestApp(dynamo, {
    PACKAGES,
    SUBSCRIPTION_GRACE: '2s',
    SUBSCRIPTION_RENEWAL_SLACK: '2s',
    ENTITLEMENT_CACHE_TTL_MS: '60000', // long: lapses must end cache entries by themselves
  });
  const tables = new LedgerTables(dynamo, t);
  beforeEach(() => {
    t.standIn.reset();
    t.standIn.definePrice({ id: 'price_basic_m', recurring: { interval: 'month' } });
    t.standIn.definePrice({ id: 'price_pro_m', recurring: { interval: 'month' } });
    t.standIn.definePrice({ id: 'price_unknown_m', recurring: { interval: 'month' } });
  });

  /** A subscription at Stripe for a new user (named in our metadata, as our checkout does). */
  function subscribe(price = 'price_pro_m', label = 'subscriber') {
    const email = uniqueEmail(label);
    const customer = t.standIn.createCustomer({ email });
    const subscription = t.standIn.createSubscription({ customer, price, metadata: { email } });
    return { email, id: subscription.id };
  }
  /**
   * Sets Stripe's clock so that a monthly subscription created now ends its first period at `end`
   * (Unix seconds): months differ in length, so it is found by trying.
   */
  function clockForPeriodEnd(end: number): void {
    let start = end - 30 * DAY_S;
    for (let attempt = 0; attempt < 4; attempt++) {
      t.standIn.setClock(start);
      const probe = t.standIn.createSubscription({
        customer: t.standIn.createCustomer(),
        price: 'price_pro_m',
      });
      const probeEnd = probe.items.data[0].current_period_end;
      if (probeEnd === end) return;
      start += end - probeEnd;
    }
    throw new Error(`no start gives a period ending at ${end}`);
  }
  const tell = (type: Parameters<typeof stripeEvents.subscription>[0], id: string) =>
    deliver(t.app, stripeEvents.subscription(type, t.standIn.subscription(id)));
  const grantOf = async (id: string) =>
    (await tables.grant(id)) as { packageId?: number; subscription: SubscriptionState };

  it('a new subscription gives its package at once, until its period ends', async () => {
    const { email, id } = subscribe();
    expect(await proContentStatus(t.app, email)).toBe(402);
    expect((await tell('customer.subscription.created', id)).json()).toEqual(applied);
    expect(await proContentStatus(t.app, email)).toBe(200);
    const periodEnd = t.standIn.subscription(id).items.data[0].current_period_end;
    expect(await grantOf(id)).toMatchObject({
      packageId: 2,
      subscription: { status: 'active', periodEnd, accessUntil: periodEnd * 1000 + 2000 },
    });
    expect(await tables.user(email)).toMatchObject({
      package_id: 2,
      grants: { [id]: 2 },
      grant_until: { [id]: periodEnd * 1000 + 2000 },
    });
  });

  it('a renewal extends access to the new period end', async () => {
    const { email, id } = subscribe();
    await tell('customer.subscription.created', id);
    const { invoice } = t.standIn.renewSubscription(id);
    expect((await deliver(t.app, stripeEvents.invoice('invoice.paid', invoice))).json()).toEqual(applied);
    const periodEnd = t.standIn.subscription(id).items.data[0].current_period_end;
    expect((await grantOf(id)).subscription.periodEnd).toBe(periodEnd);
    expect(await proContentStatus(t.app, email)).toBe(200);
  });

  it('upgrade and downgrade in the portal move the package', async () => {
    const { email, id } = subscribe('price_basic_m');
    await tell('customer.subscription.created', id);
    expect(await tables.packageOf(email)).toBe(1);
    t.standIn.updateSubscription(id, { price: 'price_pro_m' });
    await tell('customer.subscription.updated', id);
    expect(await tables.packageOf(email)).toBe(2);
    expect(await proContentStatus(t.app, email)).toBe(200);
    t.standIn.updateSubscription(id, { price: 'price_basic_m' });
    await tell('customer.subscription.updated', id);
    expect(await tables.packageOf(email)).toBe(1);
    expect(await proContentStatus(t.app, email)).toBe(402);
    const history = await tables.audit(email);
    expect(history.map(({ from, to }) => `${from}→${to}`)).toEqual(['0→1', '1→2', '2→1']);
  });

  it('records what Stripe says now, not the stale snapshot an event carries', async () => {
    const { email, id } = subscribe();
    const created = stripeEvents.subscription('customer.subscription.created', t.standIn.subscription(id));
    t.standIn.cancelSubscription(id);
    const deleted = stripeEvents.subscription('customer.subscription.deleted', t.standIn.subscription(id));
    // The deletion arrives first; the older "created" (status active in its snapshot) comes after.
    expect((await deliver(t.app, deleted)).json()).toEqual(applied);
    expect((await deliver(t.app, created)).json()).toEqual(applied);
    expect((await grantOf(id)).subscription.status).toBe('canceled');
    expect(await proContentStatus(t.app, email)).toBe(402);
    expect(await tables.packageOf(email)).toBe(0);
  });

  it('a deleted subscription ends access at once', async () => {
    const { email, id } = subscribe();
    await tell('customer.subscription.created', id);
    expect(await proContentStatus(t.app, email)).toBe(200);
    t.standIn.cancelSubscription(id);
    await tell('customer.subscription.deleted', id);
    expect(await proContentStatus(t.app, email)).toBe(402);
    expect((await tables.user(email))?.grants).toEqual({});
  });

  it('a failed renewal keeps access through the grace, then not, with no further event', async () => {
    const { email, id } = subscribe();
    await tell('customer.subscription.created', id);
    const { invoice } = t.standIn.failRenewal(id);
    expect((await deliver(t.app, stripeEvents.invoice('invoice.payment_failed', invoice))).json()).toEqual(
      applied,
    );
    expect(await grantOf(id)).toMatchObject({
      subscription: { status: 'past_due', pastDueSince: invoice.created },
    });
    expect(await proContentStatus(t.app, email)).toBe(200); // within SUBSCRIPTION_GRACE (2 s)
    await sleep(Math.max(0, invoice.created * 1000 + 2000 - Date.now()) + 300);
    expect(await proContentStatus(t.app, email)).toBe(402);
    // The retry succeeds: access again.
    const paid = t.standIn.payLatestInvoice(id);
    await deliver(t.app, stripeEvents.invoice('invoice.paid', paid.invoice));
    expect(await proContentStatus(t.app, email)).toBe(200);
  }, 20_000);

  it('cancel at period end keeps access until the period end exactly, then none without an event', async () => {
    // A subscription whose period ends 2 s from now.
    clockForPeriodEnd(Math.floor(Date.now() / 1000) + 2);
    const { email, id } = subscribe();
    const periodEnd = t.standIn.subscription(id).items.data[0].current_period_end;
    t.standIn.setClock(Math.floor(Date.now() / 1000));
    t.standIn.updateSubscription(id, { cancelAtPeriodEnd: true });
    await tell('customer.subscription.updated', id);
    expect((await grantOf(id)).subscription.accessUntil).toBe(periodEnd * 1000);
    if (Date.now() < periodEnd * 1000 - 200) expect(await proContentStatus(t.app, email)).toBe(200);
    await sleep(Math.max(0, periodEnd * 1000 - Date.now()) + 300);
    expect(await proContentStatus(t.app, email)).toBe(402);
  }, 20_000);

  it('a renewing subscription whose renewal never arrives lapses after period end + slack', async () => {
    clockForPeriodEnd(Math.floor(Date.now() / 1000) + 1);
    const { email, id } = subscribe();
    const periodEnd = t.standIn.subscription(id).items.data[0].current_period_end;
    t.standIn.setClock(Math.floor(Date.now() / 1000));
    await tell('customer.subscription.created', id);
    expect((await grantOf(id)).subscription.accessUntil).toBe(periodEnd * 1000 + 2000);
    await sleep(Math.max(0, periodEnd * 1000 + 2000 - Date.now()) + 300);
    expect(await proContentStatus(t.app, email)).toBe(402);
  }, 20_000);

  it('a switch to a price the catalog does not know keeps the last package and parks the event', async () => {
    const { email, id } = subscribe();
    await tell('customer.subscription.created', id);
    t.standIn.updateSubscription(id, { price: 'price_unknown_m' });
    const evt = stripeEvents.subscription('customer.subscription.updated', t.standIn.subscription(id));
    expect((await deliver(t.app, evt)).json()).toEqual({ received: true, outcome: 'parked' });
    expect(await tables.unapplied(evt.id)).toMatchObject({
      reason: expect.stringContaining('price_unknown_m'),
    });
    expect(await tables.packageOf(email)).toBe(2);
    expect(await proContentStatus(t.app, email)).toBe(200);
  });

  it('a one-time package stays when a subscription above it ends', async () => {
    const { email, id } = subscribe();
    const once = newPurchase(email, 1);
    await deliver(t.app, stripeEvents.checkoutCompleted(once));
    await tell('customer.subscription.created', id);
    expect(await tables.packageOf(email)).toBe(2);
    t.standIn.cancelSubscription(id);
    await tell('customer.subscription.deleted', id);
    expect(await tables.packageOf(email)).toBe(1);
  });

  it('Stripe unreachable while reading the subscription → 503, nothing written; the retry applies', async () => {
    const { email, id } = subscribe();
    const evt = stripeEvents.subscription('customer.subscription.created', t.standIn.subscription(id));
    t.standIn.answerWith({ kind: 'drop-connection' });
    const failed = await deliver(t.app, evt);
    expect(failed.statusCode).toBe(503);
    expect(await tables.marker(evt.id)).toBeUndefined();
    t.standIn.answerWith({ kind: 'api' });
    expect((await deliver(t.app, evt)).json()).toEqual(applied);
    expect(await tables.packageOf(email)).toBe(2);
  });

  it('bought through checkout: the completed subscription session grants the package', async () => {
    const caller = await createTestCaller(t.app, 'none');
    const started = await t.app.inject({
      method: 'POST',
      url: '/payments/checkout',
      headers: caller.headers,
      payload: { package: 'pro' },
    });
    expect(started.statusCode).toBe(201);
    const session = t.standIn.completeSession(started.json().id);
    expect(session.subscription).toMatch(/^sub_/);
    expect((await deliver(t.app, stripeEvents.checkoutCompletedFor(session))).json()).toEqual(applied);
    expect(await proContentStatus(t.app, caller.email)).toBe(200);
    const again = await t.app.inject({
      method: 'POST',
      url: '/payments/checkout',
      headers: caller.headers,
      payload: { package: 'basic' },
    });
    expect(again.statusCode).toBe(409);
  });

  it("events delivered at once to two instances end at Stripe's current state", async () => {
    const other = await createTestApp(dynamo, {
      PACKAGES,
      STRIPE_SECRET_KEY: TEST_STRIPE_SECRET_KEY,
      STRIPE_API_URL: t.standIn.url,
      DYNAMO_TABLE_NAME: t.tableName,
    });
    try {
      const { email, id } = subscribe('price_basic_m');
      const events = [stripeEvents.subscription('customer.subscription.created', t.standIn.subscription(id))];
      t.standIn.updateSubscription(id, { price: 'price_pro_m' });
      events.push(stripeEvents.subscription('customer.subscription.updated', t.standIn.subscription(id)));
      const { invoice } = t.standIn.renewSubscription(id);
      events.push(stripeEvents.invoice('invoice.paid', invoice));
      const answers = await Promise.all(
        events.flatMap((evt) => [deliver(t.app, evt), deliver(other.app, evt)]),
      );
      expect(answers.map((a) => a.statusCode)).toEqual(Array(6).fill(200));
      const outcomes = answers.map((a) => a.json().outcome).sort();
      expect(outcomes).toEqual(['applied', 'applied', 'applied', 'duplicate', 'duplicate', 'duplicate']);
      const periodEnd = t.standIn.subscription(id).items.data[0].current_period_end;
      expect(await grantOf(id)).toMatchObject({
        packageId: 2,
        subscription: { status: 'active', periodEnd },
      });
      expect(await tables.packageOf(email)).toBe(2);
    } finally {
      await other.close();
    }
  });

  describe('a refund or dispute of the payment that paid a period', () => {
    /** The payment intent that paid `invoiceId`, as Stripe lists it (`expand[]=payments`). */
    async function paymentIntentOf(invoiceId: string): Promise<string> {
      const response = await fetch(`${t.standIn.url}/v1/invoices/${invoiceId}?expand[]=payments`, {
        headers: { authorization: `Bearer ${TEST_STRIPE_SECRET_KEY}` },
      });
      const invoice = (await response.json()) as {
        payments: { data: Array<{ payment: { payment_intent: string } }> };
      };
      return invoice.payments.data[0].payment.payment_intent;
    }
    const paymentOf = (email: string, paymentIntent: string) => ({ ...newPurchase(email, 1), paymentIntent });

    it('a full refund ends access for that period only; the next paid period restores it', async () => {
      const { email, id } = subscribe();
      await tell('customer.subscription.created', id);
      const renewal = t.standIn.renewSubscription(id);
      await deliver(t.app, stripeEvents.invoice('invoice.paid', renewal.invoice));
      const paymentIntent = await paymentIntentOf(renewal.invoice.id);
      expect(await tables.item(`PAYMENT#${paymentIntent}`, 'PAYMENT')).toMatchObject({ grant_key: id });

      const refund = stripeEvents.refunded(paymentOf(email, paymentIntent));
      expect((await deliver(t.app, refund)).json()).toEqual(applied);
      expect(await proContentStatus(t.app, email)).toBe(402);
      expect(await tables.packageOf(email)).toBe(0);
      expect((await grantOf(id)).subscription.status).toBe('active'); // cancelling is Stripe's, not ours

      const next = t.standIn.renewSubscription(id);
      await deliver(t.app, stripeEvents.invoice('invoice.paid', next.invoice));
      expect(await proContentStatus(t.app, email)).toBe(200);
    });

    it('a refund delivered before its invoice.paid still ends that period', async () => {
      const { email, id } = subscribe();
      await tell('customer.subscription.created', id);
      const renewal = t.standIn.renewSubscription(id);
      const paymentIntent = await paymentIntentOf(renewal.invoice.id);
      expect((await deliver(t.app, stripeEvents.refunded(paymentOf(email, paymentIntent)))).json()).toEqual(
        applied,
      );
      await deliver(t.app, stripeEvents.invoice('invoice.paid', renewal.invoice));
      expect(await proContentStatus(t.app, email)).toBe(402);
    });

    it('an open dispute ends access; a won one gives it back', async () => {
      const { email, id } = subscribe();
      await tell('customer.subscription.created', id);
      const renewal = t.standIn.renewSubscription(id);
      await deliver(t.app, stripeEvents.invoice('invoice.paid', renewal.invoice));
      const payment = paymentOf(email, await paymentIntentOf(renewal.invoice.id));
      await deliver(t.app, stripeEvents.disputeCreated(payment));
      expect(await proContentStatus(t.app, email)).toBe(402);
      await deliver(t.app, stripeEvents.disputeClosed(payment, 'won'));
      expect(await proContentStatus(t.app, email)).toBe(200);
    });
  });
});
