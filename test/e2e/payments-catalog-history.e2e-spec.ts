import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { createTestCaller } from '../../src/testing/index.js';
import { CatalogChangeError } from '../../src/payments/catalog/catalog-history.js';
import { CatalogRecordUnavailableError } from '../../src/payments/catalog/catalog-record.js';
import { LedgerTables } from '../support/ledger-items.js';
import { deliver, newPurchase, stripeEvents } from '../support/stripe-events.js';
import { startStripeStandIn, type StripeStandIn } from '../support/stripe-stand-in.js';
import { loseAnswerOf, SwitchableProxy } from '../support/switchable-proxy.js';
import { createTestApp, createTestTable, type TestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { uniqueEmail } from '../support/tokens.js';

const applied = { received: true, outcome: 'applied' };

describe('catalog history', () => {
  const dynamo = useTestDynamo();
  let warn: ReturnType<typeof jest.spyOn>;
  beforeAll(() => {
    // Calls through: the ledger's warnings are what the price tests check.
    warn = jest.spyOn(Logger.prototype, 'warn');
  });
  afterEach(() => warn.mockClear());
  afterAll(() => warn.mockRestore());

  const warnings = () => warn.mock.calls.map((call: unknown[]) => String(call[0]));

  /** Starts an app on `tableName` (a fresh table when absent) with these PACKAGES and further variables. */
  const start = (PACKAGES: string, tableName?: string, more: Record<string, string> = {}) =>
    createTestApp(dynamo, { PACKAGES, ...(tableName ? { DYNAMO_TABLE_NAME: tableName } : {}), ...more });

  describe('prices', () => {
    let standIn: StripeStandIn;
    beforeAll(async () => {
      standIn = await startStripeStandIn();
    });
    afterAll(() => standIn?.close());

    it('a session made under a price since rotated away is granted, with a warning', async () => {
      const checkoutEnv = {
        STRIPE_SECRET_KEY: 'sk_test_packgate',
        STRIPE_API_URL: standIn.url,
        CHECKOUT_SUCCESS_URL: 'https://app.example.com/ok',
        CHECKOUT_CANCEL_URL: 'https://app.example.com/cancel',
      };
      standIn.definePrice({ id: 'price_A' });
      const before = await start('1:basic:price_basic,2:pro:price_A', undefined, checkoutEnv);
      const buyer = await createTestCaller(before.app, 'none');
      const checkout = await before.app.inject({
        method: 'POST',
        url: '/payments/checkout',
        headers: buyer.headers,
        payload: { package: 'pro' },
      });
      expect(checkout.statusCode).toBe(201);
      const session = standIn.sessions.find(({ id }) => id === checkout.json().id);
      expect(session?.metadata).toMatchObject({ package_id: '2', price_id: 'price_A' });
      await before.close();

      // The operator rotates pro's price; the buyer pays afterwards.
      const after = await start('1:basic:price_basic,2:pro:price_B', before.tableName);
      try {
        const paymentIntent = newPurchase(buyer.email, 2).paymentIntent;
        const paid = {
          ...session,
          status: 'complete',
          payment_status: 'paid',
          payment_intent: paymentIntent,
        };
        const response = await deliver(
          after.app,
          stripeEvents.aboutSession('checkout.session.completed', paid),
        );
        expect(response.statusCode).toBe(200);
        expect(response.json()).toEqual(applied);

        const tables = new LedgerTables(dynamo, after);
        expect(await tables.packageOf(buyer.email)).toBe(2);
        expect(await tables.grant(paymentIntent)).toMatchObject({ paid: true, packageId: 2 });
        expect(warnings()).toEqual([expect.stringMatching(/price price_A, which PACKAGES no longer lists/)]);
      } finally {
        await after.close();
      }
    });

    it('an older price still listed (2:pro:price_p3|price_p2) grants silently', async () => {
      const t = await start('1:basic:price_b,2:pro:price_p3|price_p2');
      try {
        const purchase = newPurchase(uniqueEmail('older-price'), 2);
        const evt = stripeEvents.checkoutCompleted(purchase);
        (evt.data.object as { metadata: Record<string, string> }).metadata.price_id = 'price_p2';
        const response = await deliver(t.app, evt);
        expect(response.json()).toEqual(applied);
        expect(await new LedgerTables(dynamo, t).packageOf(purchase.email)).toBe(2);
        expect(warnings()).toEqual([]);
      } finally {
        await t.close();
      }
    });
  });

  describe('the id→name record refuses renumbering at start', () => {
    /** Starts and closes an app, so the next start on the same tables is a restart. */
    async function startOnce(PACKAGES: string, tableName?: string, more: Record<string, string> = {}) {
      const t: TestApp = await start(PACKAGES, tableName, more);
      await t.close();
      return t.tableName;
    }
    const recordOf = (tableName: string) => new LedgerTables(dynamo, { tableName }).catalogRecord();

    it('records the catalog the first time, refuses a renamed id, takes it with PACKAGES_ALLOW_RENAME', async () => {
      const tableName = await startOnce('1:basic,2:pro');
      expect(await recordOf(tableName)).toEqual({ 1: 'basic', 2: 'pro' });

      const refused = start('1:basic,2:plus,3:pro', tableName);
      await expect(refused).rejects.toThrow(CatalogChangeError);
      await expect(refused).rejects.toThrow(
        'PACKAGES changes what existing users hold: package 2 was "pro" and is now "plus" — give a new tier ' +
          'a new, higher id (ids are ranks), or set PACKAGES_ALLOW_RENAME=2 to rename it on purpose.',
      );
      expect(await recordOf(tableName)).toEqual({ 1: 'basic', 2: 'pro' });

      await startOnce('1:basic,2:plus,3:pro', tableName, { PACKAGES_ALLOW_RENAME: '2' });
      expect(await recordOf(tableName)).toEqual({ 1: 'basic', 2: 'plus', 3: 'pro' });
      expect(warnings()).toContainEqual(expect.stringContaining('package 2 was "pro" and is now "plus"'));
      // The record now says plus: the allowance is not needed again.
      await startOnce('1:basic,2:plus,3:pro', tableName);
    });

    // Every route's package must stay listed too (ContentController needs basic and pro).
    it('refuses dropping a recorded id, naming every change', async () => {
      const tableName = await startOnce('1:basic,2:pro');
      await expect(start('2:basic,3:pro', tableName)).rejects.toThrow(
        'package 1 was "basic" and is no longer listed; package 2 was "pro" and is now "basic"',
      );
      await startOnce('2:basic,3:pro', tableName, { PACKAGES_ALLOW_RENAME: '1,2' });
      expect(await recordOf(tableName)).toEqual({ 2: 'basic', 3: 'pro' });
    });

    it('adds a new, higher id to the record and starts', async () => {
      const tableName = await startOnce('1:basic,2:pro');
      await startOnce('1:basic,2:pro,3:enterprise', tableName);
      expect(await recordOf(tableName)).toEqual({ 1: 'basic', 2: 'pro', 3: 'enterprise' });
    });

    it('instances starting at once all start, on a fresh table and when they add an id', async () => {
      const tableName = await createTestTable(dynamo);
      const startAll = async (PACKAGES: string) => {
        const apps = await Promise.all([1, 2, 3].map(() => start(PACKAGES, tableName)));
        await Promise.all(apps.map((t) => t.close()));
      };
      await startAll('1:basic,2:pro');
      expect(await recordOf(tableName)).toEqual({ 1: 'basic', 2: 'pro' });
      await startAll('1:basic,2:pro,3:team');
      expect(await recordOf(tableName)).toEqual({ 1: 'basic', 2: 'pro', 3: 'team' });
    });

    it('a DynamoDB failure while reading the record stops start-up, naming the endpoint', async () => {
      const proxy = await SwitchableProxy.start(dynamo.endpoint);
      try {
        await proxy.switchTo(loseAnswerOf('GetItem', 3));
        const failure = start('1:basic,2:pro', undefined, {
          DYNAMO_ENDPOINT: proxy.url,
          DYNAMO_MAX_ATTEMPTS: '1',
          DYNAMO_TIMEOUT_MS: '1000',
        });
        await expect(failure).rejects.toThrow(CatalogRecordUnavailableError);
        await expect(failure).rejects.toThrow(`reading the package catalog record in table`);
        await expect(failure).rejects.toThrow(`at ${proxy.url} failed`);
        expect(proxy.answersLost).toBe(1);
      } finally {
        await proxy.close();
      }
    });
  });
});
