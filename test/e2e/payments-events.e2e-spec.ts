import { describe, expect, it } from '@jest/globals';
import { LedgerTables, proContentStatus } from '../support/ledger-items.js';
import {
  deliver,
  newPurchase,
  stripeEvents,
  TEST_PACKAGES,
  type Purchase,
  type StripeTestEvent,
} from '../support/stripe-events.js';
import { useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { uniqueEmail } from '../support/tokens.js';

const applied = { received: true, outcome: 'applied' };
const ignored = { received: true, outcome: 'ignored' };
const parked = { received: true, outcome: 'parked' };

describe('payments webhook: what each event does', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo, { PACKAGES: TEST_PACKAGES });
  const tables = new LedgerTables(dynamo, t);

  async function expectDelivered(evt: StripeTestEvent, body: object) {
    const response = await deliver(t.app, evt);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(body);
  }

  describe('refunds with several grants', () => {
    it('refunding the lower (basic) grant while pro is active keeps pro', async () => {
      const email = uniqueEmail('refund-low');
      const [basic, pro] = [newPurchase(email, 1), newPurchase(email, 2)];
      await expectDelivered(stripeEvents.checkoutCompleted(basic), applied);
      await expectDelivered(stripeEvents.checkoutCompleted(pro), applied);
      await expectDelivered(stripeEvents.refunded(basic), applied);
      expect(await tables.packageOf(email)).toBe(2);
      expect(await proContentStatus(t.app, email)).toBe(200);
      // The refunded grant can never be active again: it leaves the user's map.
      expect((await tables.user(email))?.grants).toEqual({ [pro.paymentIntent]: 2 });
    });

    it('refunding pro while basic is active falls back to basic', async () => {
      const email = uniqueEmail('refund-high');
      const [basic, pro] = [newPurchase(email, 1), newPurchase(email, 2)];
      await expectDelivered(stripeEvents.checkoutCompleted(basic), applied);
      await expectDelivered(stripeEvents.checkoutCompleted(pro), applied);
      await expectDelivered(stripeEvents.refunded(pro), applied);
      expect(await tables.packageOf(email)).toBe(1);
      expect(await proContentStatus(t.app, email)).toBe(402);
      expect((await tables.user(email))?.grants).toEqual({ [basic.paymentIntent]: 1 });
    });

    it('a partial refund keeps the grant', async () => {
      const purchase = newPurchase(uniqueEmail('partial'), 2);
      await expectDelivered(stripeEvents.checkoutCompleted(purchase), applied);
      await expectDelivered(stripeEvents.refunded(purchase, false), ignored);
      expect(await tables.packageOf(purchase.email)).toBe(2);
      expect(await proContentStatus(t.app, purchase.email)).toBe(200);
    });
  });

  describe('delayed payment methods', () => {
    it('an unpaid completed session grants nothing until the async payment succeeds', async () => {
      const purchase = newPurchase(uniqueEmail('async-ok'), 2);
      await expectDelivered(stripeEvents.checkoutCompleted(purchase, 'unpaid'), applied);
      expect(await tables.user(purchase.email)).toBeUndefined();
      expect(await proContentStatus(t.app, purchase.email)).toBe(402);
      await expectDelivered(stripeEvents.asyncPaymentSucceeded(purchase), applied);
      expect(await tables.packageOf(purchase.email)).toBe(2);
      expect(await proContentStatus(t.app, purchase.email)).toBe(200);
    });

    it('a failed async payment grants nothing, even if its success is claimed later', async () => {
      const purchase = newPurchase(uniqueEmail('async-failed'), 2);
      await expectDelivered(stripeEvents.checkoutCompleted(purchase, 'unpaid'), applied);
      await expectDelivered(stripeEvents.asyncPaymentFailed(purchase), applied);
      expect(await tables.user(purchase.email)).toBeUndefined();
      expect(await tables.grant(purchase.paymentIntent)).toMatchObject({ failed: true });
      await expectDelivered(stripeEvents.asyncPaymentSucceeded(purchase), applied);
      expect(await tables.packageOf(purchase.email)).toBe(0);
    });

    it('a session that needed no payment (no payment intent) grants under its session id', async () => {
      const purchase = newPurchase(uniqueEmail('free'), 1);
      await expectDelivered(stripeEvents.checkoutCompleted(purchase, 'no_payment_required'), applied);
      expect(await tables.packageOf(purchase.email)).toBe(1);
      expect(await tables.grant(purchase.sessionId)).toMatchObject({ paid: true, packageId: 1 });
      expect((await tables.user(purchase.email))?.grants).toEqual({ [purchase.sessionId]: 1 });
    });
  });

  /** A paid session for pro whose metadata is changed by `metadata` (a key set to undefined: left out). */
  function completedWith(purchase: Purchase, metadata: Record<string, string | undefined>) {
    const evt = stripeEvents.checkoutCompleted(purchase);
    const session = evt.data.object as { metadata: Record<string, string | undefined> };
    session.metadata = { ...session.metadata, ...metadata };
    return evt;
  }

  describe('which package a session grants: the one in our metadata, unless its price contradicts it', () => {
    it.each([
      ['a price PACKAGES no longer lists', { price_id: 'price_rotated_away' }],
      ['no price in the metadata', { price_id: undefined }],
    ])('%s → 200 applied, the package in the metadata', async (_case, metadata) => {
      const purchase = newPurchase(uniqueEmail('unlisted-price'), 2);
      await expectDelivered(completedWith(purchase, metadata), applied);
      expect(await tables.packageOf(purchase.email)).toBe(2);
      expect(await tables.grant(purchase.paymentIntent)).toMatchObject({ paid: true, packageId: 2 });
    });
  });

  describe('purchases the catalog cannot grant are parked, not granted', () => {
    it.each([
      ['package 9 (not in the catalog)', { package_id: '9' }],
      ['package 0', { package_id: '0' }],
      ['no package id', { package_id: undefined }],
      ['package 1 at the pro price (a contradiction)', { package_id: '1', price_id: 'price_pro' }],
      ['package 2 at the basic price (a contradiction)', { price_id: 'price_basic' }],
    ])('%s → 200 parked, no grant, no marker', async (_case, metadata) => {
      const purchase = newPurchase(uniqueEmail('unknown-package'), 2);
      const evt = completedWith(purchase, metadata);
      await expectDelivered(evt, parked);
      expect(await tables.user(purchase.email)).toBeUndefined();
      expect(await tables.grant(purchase.paymentIntent)).toBeUndefined();
      expect(await tables.marker(evt.id)).toBeUndefined();
      expect(await tables.unapplied(evt.id)).toMatchObject({ event_id: evt.id, attempts: 1 });
    });
  });

  describe('events packgate does not act on write nothing', () => {
    it('an event type packgate does not handle → 200 ignored, no marker', async () => {
      const evt = stripeEvents.other('customer.created');
      const before = await tables.ledgerItems();
      await expectDelivered(evt, ignored);
      expect(await tables.marker(evt.id)).toBeUndefined();
      expect(await tables.ledgerItems()).toHaveLength(before.length);
    });
  });
});
