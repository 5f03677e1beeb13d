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
