import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { stripeEvents, newPurchase } from '../support/stripe-events.js';
import { startStripeStandIn, type StripeStandIn } from '../support/stripe-stand-in.js';

// The stand-in is only worth its tests if the stripe SDK reads its answers as it reads Stripe's.
describe('the Stripe stand-in, through the stripe SDK', () => {
  let standIn: StripeStandIn;
  let stripe: Stripe;

  beforeAll(async () => {
    standIn = await startStripeStandIn();
    const { hostname, port } = new URL(standIn.url);
    stripe = new Stripe('sk_test_stand_in', { host: hostname, port, protocol: 'http', maxNetworkRetries: 2 });
  });
  beforeEach(() => standIn.reset());
  afterAll(() => standIn?.close());

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: Stripe.errors.StripeError) => error,
    );

  describe('GET /v1/events', () => {
    /** `count` events, one a second up to now, oldest first. */
    function publish(count: number, type = 'checkout.session.completed') {
      const now = Math.floor(Date.now() / 1000);
      return Array.from({ length: count }, (_, i) => {
        const evt = {
          ...stripeEvents.checkoutCompleted(newPurchase('a@example.com', 1)),
          type,
          created: now - count + i,
        };
        standIn.publishEvent(evt);
        return evt;
      });
    }

    it('pages newest first through auto-pagination, 10 a page by default', async () => {
      const published = publish(25);

      const seen = await stripe.events.list().autoPagingToArray({ limit: 1000 });

      expect(seen.map((e) => e.id)).toEqual(published.map((e) => e.id).reverse());
      const pages = standIn.requests.map((r) => [r.form.limit, r.form.starting_after]);
      expect(pages).toEqual([
        [undefined, undefined],
        [undefined, published[15].id],
        [undefined, published[5].id],
      ]);
    });

    it('answers the list object with has_more, honouring limit', async () => {
      publish(3);
      const page = await stripe.events.list({ limit: 2 });
      expect(page).toMatchObject({ object: 'list', url: '/v1/events', has_more: true });
      expect(page.data).toHaveLength(2);
      expect((await stripe.events.list({ limit: 3 })).has_more).toBe(false);
    });

    it('filters on created bounds and types[]', async () => {
      const completed = publish(6);
      const refunds = publish(2, 'charge.refunded');
      const since = completed[2].created;

      const seen = await stripe.events
        .list({
          created: { gte: since, lt: completed[5].created },
          types: ['checkout.session.completed'],
          limit: 2,
        })
        .autoPagingToArray({ limit: 100 });
      expect(seen.map((e) => e.id)).toEqual([completed[4].id, completed[3].id, completed[2].id]);

      const refundsFrom = await stripe.events.list({
        created: { gt: completed[3].created, lte: refunds[0].created },
        types: ['charge.refunded'],
      });
      expect(refundsFrom.data.map((e) => e.id)).toEqual([refunds[0].id]);
    });

    it('pages backwards from ending_before, oldest first', async () => {
      const published = publish(7);
      const seen = await stripe.events
        .list({ ending_before: published[1].id, limit: 2 })
        .autoPagingToArray({ limit: 100 });
      expect(seen.map((e) => e.id)).toEqual(published.slice(2).map((e) => e.id));
    });

    it('refuses a limit over 100 and an unknown cursor', async () => {
      expect(await refusal(stripe.events.list({ limit: 101 }))).toMatchObject({
        statusCode: 400,
        param: 'limit',
      });
      expect(await refusal(stripe.events.list({ starting_after: 'evt_nope' }))).toMatchObject({
        statusCode: 400,
        code: 'resource_missing',
      });
    });
  });

  describe('customers and sessions', () => {
    it('creates, retrieves and deletes a customer', async () => {
      const created = await stripe.customers.create({
        email: 'c@example.com',
        metadata: { packgate_email: 'c@example.com' },
      });
      expect(created).toMatchObject({
        object: 'customer',
        email: 'c@example.com',
        metadata: { packgate_email: 'c@example.com' },
      });
      expect(created.id).toMatch(/^cus_/);
      expect(await stripe.customers.retrieve(created.id)).toEqual(created);

      expect(await stripe.customers.del(created.id)).toEqual({
        id: created.id,
        object: 'customer',
        deleted: true,
      });
      expect(await stripe.customers.retrieve(created.id)).toEqual({
        id: created.id,
        object: 'customer',
        deleted: true,
      });
      expect(await refusal(stripe.customers.retrieve('cus_nope'))).toMatchObject({
        statusCode: 404,
        code: 'resource_missing',
      });
    });

    it('refuses customer together with customer_email, and a deleted customer', async () => {
      const { id } = await stripe.customers.create({ email: 'c@example.com' });
      const both = await refusal(
        stripe.checkout.sessions.create({ mode: 'payment', customer: id, customer_email: 'c@example.com' }),
      );
      expect(both).toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400 });
      await stripe.customers.del(id);
      expect(await refusal(stripe.checkout.sessions.create({ mode: 'payment', customer: id }))).toMatchObject(
        {
          statusCode: 400,
          param: 'customer',
        },
      );
    });

    it('expires an open session once; completed and expired ones are refused with 400', async () => {
      const open = await stripe.checkout.sessions.create({ mode: 'payment' });
      expect((await stripe.checkout.sessions.expire(open.id)).status).toBe('expired');
      expect((await stripe.checkout.sessions.retrieve(open.id)).status).toBe('expired');
      expect(await refusal(stripe.checkout.sessions.expire(open.id))).toMatchObject({ statusCode: 400 });

      const paid = await stripe.checkout.sessions.create({ mode: 'payment' });
      standIn.completeSession(paid.id);
      expect(await stripe.checkout.sessions.retrieve(paid.id)).toMatchObject({
        status: 'complete',
        payment_status: 'paid',
      });
      expect(await refusal(stripe.checkout.sessions.expire(paid.id))).toMatchObject({ statusCode: 400 });
    });
  });

  describe('prices', () => {
    it('answers a defined price as a price object, recurring or one-time', async () => {
      standIn.definePrice({ id: 'price_monthly', recurring: { interval: 'month' }, unitAmount: 900 });
      standIn.definePrice({ id: 'price_once', currency: 'eur' });

      expect(await stripe.prices.retrieve('price_monthly')).toMatchObject({
        id: 'price_monthly',
        object: 'price',
        type: 'recurring',
        recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' },
        unit_amount: 900,
        currency: 'usd',
      });
      expect(await stripe.prices.retrieve('price_once')).toMatchObject({
        type: 'one_time',
        recurring: null,
        unit_amount: 1000,
        currency: 'eur',
      });
      expect(await refusal(stripe.prices.retrieve('price_nope'))).toMatchObject({
        statusCode: 404,
        code: 'resource_missing',
      });
    });

    it('refuses a session whose mode does not fit its defined prices, as Stripe does', async () => {
      standIn.definePrice({ id: 'price_monthly', recurring: { interval: 'month' } });
      standIn.definePrice({ id: 'price_once' });
      const session = (mode: 'payment' | 'subscription', price: string, more: object = {}) =>
        refusal(stripe.checkout.sessions.create({ mode, line_items: [{ price, quantity: 1 }], ...more }));

      expect(await session('payment', 'price_monthly')).toMatchObject({ statusCode: 400 });
      expect(await session('subscription', 'price_once')).toMatchObject({ statusCode: 400 });
      const withIntentData = { payment_intent_data: { metadata: { a: 'b' } } };
      expect(await session('subscription', 'price_monthly', withIntentData)).toMatchObject({
        statusCode: 400,
        param: 'payment_intent_data',
      });
      expect(await session('payment', 'price_once')).toBeNull();
      expect(await session('subscription', 'price_monthly')).toBeNull();
    });
  });

  describe('subscriptions and invoices', () => {
    const DAY_S = 24 * 3600;
    /** 2031-01-31 10:00:00 UTC: an anchor on the 31st shows months of every length. */
    const JAN_31 = Date.UTC(2031, 0, 31, 10) / 1000;
    const at = (year: number, month: number, day: number) => Date.UTC(year, month - 1, day, 10) / 1000;

    function subscribed(metadata: Record<string, string> = {}) {
      standIn.definePrice({ id: 'price_monthly', recurring: { interval: 'month' }, unitAmount: 900 });
      const customer = standIn.createCustomer({ email: 's@example.com' });
      return standIn.createSubscription({ customer, price: 'price_monthly', metadata });
    }

    it('completing a subscription-mode session creates its subscription, with its metadata', async () => {
      standIn.definePrice({ id: 'price_monthly', recurring: { interval: 'month' } });
      const { id: customer } = await stripe.customers.create({ email: 's@example.com' });
      const created = await stripe.checkout.sessions.create({
        mode: 'subscription',
        customer,
        line_items: [{ price: 'price_monthly', quantity: 1 }],
        subscription_data: { metadata: { email: 's@example.com', package_id: '2' } },
      });
      const completed = standIn.completeSession(created.id);

      const session = await stripe.checkout.sessions.retrieve(created.id);
      expect(session).toMatchObject({ status: 'complete', payment_status: 'paid', payment_intent: null });
      expect(session.subscription).toBe(completed.subscription);
      const subscription = await stripe.subscriptions.retrieve(String(session.subscription));
      expect(subscription).toMatchObject({
        object: 'subscription',
        status: 'active',
        customer,
        metadata: { email: 's@example.com', package_id: '2' },
        latest_invoice: session.invoice,
      });
      expect(subscription.items.data).toEqual([
        expect.objectContaining({ price: expect.objectContaining({ id: 'price_monthly' }), quantity: 1 }),
      ]);
    });

    it('keeps the period on the item, not the subscription, and pays the first invoice', async () => {
      standIn.setClock(JAN_31);
      const { id } = subscribed({ email: 's@example.com' });

      const subscription = await stripe.subscriptions.retrieve(id);
      expect(subscription.id).toMatch(/^sub_/);
      expect(subscription).not.toHaveProperty('current_period_end');
      const [item] = subscription.items.data;
      expect(item.id).toMatch(/^si_/);
      expect([item.current_period_start, item.current_period_end]).toEqual([JAN_31, at(2031, 2, 28)]);

      const invoice = await stripe.invoices.retrieve(String(subscription.latest_invoice));
      expect(invoice).toMatchObject({
        status: 'paid',
        amount_paid: 900,
        billing_reason: 'subscription_create',
        customer: subscription.customer,
        parent: { type: 'subscription_details', subscription_details: { subscription: id } },
      });
      // `payments` is includable: absent unless expanded.
      expect(invoice).not.toHaveProperty('payments');
      const expanded = await stripe.invoices.retrieve(invoice.id, { expand: ['payments'] });
      expect(expanded.payments?.data).toEqual([
        expect.objectContaining({
          object: 'invoice_payment',
          status: 'paid',
          payment: { type: 'payment_intent', payment_intent: expect.stringMatching(/^pi_/) },
        }),
      ]);
      const deeper = await stripe.invoices.retrieve(invoice.id, {
        expand: ['payments.data.payment.payment_intent'],
      });
      expect(deeper.payments?.data[0].payment.payment_intent).toMatchObject({
        id: expanded.payments?.data[0].payment.payment_intent,
        object: 'payment_intent',
        status: 'succeeded',
      });
      expect(await refusal(stripe.invoices.retrieve('in_nope'))).toMatchObject({ statusCode: 404 });
    });

    it('renews on the anchor day, each period paid through a new payment intent', async () => {
      standIn.setClock(JAN_31);
      const { id } = subscribed();
      const intentOf = async (invoice: string) =>
        (await stripe.invoices.retrieve(invoice, { expand: ['payments'] })).payments?.data[0].payment
          .payment_intent;
      const first = await intentOf(String(standIn.subscription(id).latest_invoice));

      standIn.setClock(at(2031, 2, 28));
      const renewal = standIn.renewSubscription(id);
      standIn.setClock(at(2031, 3, 31));
      const next = standIn.renewSubscription(id);

      const [item] = (await stripe.subscriptions.retrieve(id)).items.data;
      expect([item.current_period_start, item.current_period_end]).toEqual([
        at(2031, 3, 31),
        at(2031, 4, 30),
      ]);
      expect(renewal.invoice).toMatchObject({
        status: 'paid',
        billing_reason: 'subscription_cycle',
        period_start: at(2031, 2, 28),
        period_end: at(2031, 3, 31),
      });
      const intents = [first, await intentOf(renewal.invoice.id), await intentOf(next.invoice.id)];
      expect(new Set(intents).size).toBe(3);
      expect((await stripe.subscriptions.retrieve(id)).latest_invoice).toBe(next.invoice.id);
    });

    it('a failed renewal leaves the subscription past_due and its invoice open until a retry pays it', async () => {
      const { id } = subscribed();
      const periodEnd = standIn.subscription(id).items.data[0].current_period_end;

      const { invoice } = standIn.failRenewal(id);

      const subscription = await stripe.subscriptions.retrieve(id);
      expect(subscription.status).toBe('past_due');
      expect(subscription.items.data[0].current_period_start).toBe(periodEnd);
      expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({
        status: 'open',
        amount_paid: 0,
        attempt_count: 1,
        next_payment_attempt: expect.any(Number),
      });
      standIn.payLatestInvoice(id);
      expect((await stripe.subscriptions.retrieve(id)).status).toBe('active');
      expect((await stripe.invoices.retrieve(invoice.id)).status).toBe('paid');
    });

    it('changes as the portal changes it: price, cancel at period end, canceled', async () => {
      standIn.definePrice({ id: 'price_pro_monthly', recurring: { interval: 'month' } });
      const { id } = subscribed();
      const [before] = standIn.subscription(id).items.data;
      const period = [before.current_period_start, before.current_period_end];

      standIn.updateSubscription(id, { price: 'price_pro_monthly' });
      const [item] = (await stripe.subscriptions.retrieve(id)).items.data;
      expect([item.price.id, item.current_period_start, item.current_period_end]).toEqual([
        'price_pro_monthly',
        ...period,
      ]);

      standIn.updateSubscription(id, { cancelAtPeriodEnd: true });
      expect(await stripe.subscriptions.retrieve(id)).toMatchObject({
        status: 'active',
        cancel_at_period_end: true,
        cancel_at: period[1],
        canceled_at: expect.any(Number),
        ended_at: null,
      });
      standIn.cancelSubscription(id);
      expect(await stripe.subscriptions.retrieve(id)).toMatchObject({
        status: 'canceled',
        ended_at: expect.any(Number),
      });
    });

    it('starts a trial with a paid invoice for nothing', async () => {
      standIn.definePrice({ id: 'price_yearly', recurring: { interval: 'year' } });
      const customer = standIn.createCustomer();
      const now = standIn.now();
      const { id } = standIn.createSubscription({ customer, price: 'price_yearly', trialDays: 14 });

      const subscription = await stripe.subscriptions.retrieve(id, { expand: ['latest_invoice'] });
      expect(subscription).toMatchObject({ status: 'trialing', trial_end: now + 14 * DAY_S });
      expect(subscription.items.data[0].current_period_end).toBe(now + 14 * DAY_S);
      expect(subscription.latest_invoice).toMatchObject({
        object: 'invoice',
        status: 'paid',
        amount_paid: 0,
      });
    });

    it("lists a customer's subscriptions newest first: not canceled by default, every one with status all", async () => {
      standIn.definePrice({ id: 'price_monthly', recurring: { interval: 'month' } });
      const customer = standIn.createCustomer();
      const other = standIn.createCustomer();
      const subscribe = (at: number, who = customer) => {
        standIn.setClock(at);
        return standIn.createSubscription({ customer: who, price: 'price_monthly' }).id;
      };
      const [old, middle, , newest] = [
        subscribe(JAN_31),
        subscribe(JAN_31 + 1),
        subscribe(JAN_31 + 2, other),
        subscribe(JAN_31 + 3),
      ];
      standIn.cancelSubscription(old);
      standIn.failRenewal(middle);

      const ids = async (params: Stripe.SubscriptionListParams) =>
        (await stripe.subscriptions.list(params).autoPagingToArray({ limit: 100 })).map((s) => s.id);
      expect(await ids({ customer })).toEqual([newest, middle]);
      expect(await ids({ customer, status: 'all', limit: 1 })).toEqual([newest, middle, old]);
      expect(await ids({ customer, status: 'past_due' })).toEqual([middle]);
      expect(await ids({ customer, status: 'ended' })).toEqual([old]);
      expect(await refusal(stripe.subscriptions.list({ status: 'nope' }))).toMatchObject({ statusCode: 400 });
    });

    it('event builders carry the object as it was when the event was made', () => {
      const subscription = subscribed();
      const created = stripeEvents.subscription('customer.subscription.created', subscription);
      standIn.cancelSubscription(subscription.id);
      const deleted = stripeEvents.subscription('customer.subscription.deleted', subscription);

      expect(created).toMatchObject({
        type: 'customer.subscription.created',
        data: { object: { status: 'active' } },
      });
      expect(deleted.data.object).toMatchObject({ id: subscription.id, status: 'canceled' });
      const invoice = standIn.invoice(String(subscription.latest_invoice));
      expect(stripeEvents.invoice('invoice.paid', invoice)).toMatchObject({
        type: 'invoice.paid',
        data: { object: { id: subscription.latest_invoice, status: 'paid' } },
      });
    });
  });

  describe('billing portal', () => {
    it('opens a session for a customer, with the return URL given', async () => {
      const { id: customer } = await stripe.customers.create({ email: 'p@example.com' });
      const session = await stripe.billingPortal.sessions.create({
        customer,
        return_url: 'https://app.example.com/account',
      });
      expect(session).toMatchObject({
        object: 'billing_portal.session',
        customer,
        return_url: 'https://app.example.com/account',
        url: expect.stringMatching(/^https:\/\/billing\.stripe\.com\//),
      });
      expect(session.id).toMatch(/^bps_/);
      expect(standIn.portalSessions).toEqual([session]);
    });

    it('refuses an unknown or deleted customer with 400', async () => {
      expect(await refusal(stripe.billingPortal.sessions.create({ customer: 'cus_nope' }))).toMatchObject({
        statusCode: 400,
        param: 'customer',
      });
      const { id } = await stripe.customers.create({});
      await stripe.customers.del(id);
      expect(await refusal(stripe.billingPortal.sessions.create({ customer: id }))).toMatchObject({
        statusCode: 400,
      });
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the stored answer to the same request, and refuses the key with other parameters', async () => {
      const first = await stripe.customers.create({ email: 'k@example.com' }, { idempotencyKey: 'key-1' });
      const again = await stripe.customers.create({ email: 'k@example.com' }, { idempotencyKey: 'key-1' });

      expect(again).toEqual(first);
      expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(standIn.customers).toHaveLength(1);
      const other = await refusal(
        stripe.customers.create({ email: 'other@example.com' }, { idempotencyKey: 'key-1' }),
      );
      expect(other).toMatchObject({ type: 'StripeIdempotencyError', statusCode: 400 });
    });

    it('answers 409 to a request whose key is in flight; the SDK retries it into the replay', async () => {
      standIn.tune({ latencyMs: 200 });
      const [a, b] = await Promise.all([
        stripe.customers.create({ email: 'k@example.com' }, { idempotencyKey: 'key-2' }),
        stripe.customers.create({ email: 'k@example.com' }, { idempotencyKey: 'key-2' }),
      ]);

      expect(b.id).toBe(a.id);
      expect(standIn.customers).toHaveLength(1);
      expect(standIn.requests.length).toBeGreaterThanOrEqual(3);
    });
  });
});
