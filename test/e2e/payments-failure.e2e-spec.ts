import { describe, expect, it } from '@jest/globals';
import { LedgerTables, proContentStatus } from '../support/ledger-items.js';
import { deliver, newPurchase, stripeEvents, TEST_PACKAGES } from '../support/stripe-events.js';
import type { ProxyMode } from '../support/switchable-proxy.js';
import { useAppBehindProxy } from '../support/app-behind-proxy.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { uniqueEmail } from '../support/tokens.js';

const unavailable = {
  statusCode: 503,
  error: 'Service Unavailable',
  code: 'DEPENDENCY.UNAVAILABLE',
  message: expect.any(String),
};

describe('payments webhook: DynamoDB unreachable', () => {
  const dynamo = useTestDynamo();
  const t = useAppBehindProxy(dynamo, {
    PACKAGES: TEST_PACKAGES,
    DYNAMO_TIMEOUT_MS: '300',
    DYNAMO_CONNECT_TIMEOUT_MS: '300',
    DYNAMO_MAX_ATTEMPTS: '2',
    // Every /content/pro check reads DynamoDB, not a cache that would hide what was stored.
    ENTITLEMENT_CACHE_TTL_MS: '0',
  });
  const tables = new LedgerTables(dynamo, t); // straight to the engine, not through the proxy

  describe.each<ProxyMode>(['refuse', 'black-hole'])('when its port is switched to %s', (mode) => {
    it('a purchase answers 503 with nothing written, and its redelivery applies it', async () => {
      const purchase = newPurchase(uniqueEmail(`down-${mode}`), 2);
      const evt = stripeEvents.checkoutCompleted(purchase);
      const before = await tables.ledgerItems();

      await t.proxy.switchTo(mode);
      const failed = await deliver(t.app, evt);
      expect(failed.statusCode).toBe(503);
      expect(failed.headers['retry-after']).toBe('1');
      expect(failed.json()).toEqual(unavailable);
      expect(await tables.ledgerItems()).toEqual(before);
      expect(await tables.user(purchase.email)).toBeUndefined();

      await t.proxy.switchTo('forward');
      const redelivered = await deliver(t.app, evt);
      expect(redelivered.statusCode).toBe(200);
      expect(redelivered.json()).toEqual({ received: true, outcome: 'applied' });
      expect(await tables.packageOf(purchase.email)).toBe(2);
      expect(await tables.marker(evt.id)).toBeDefined();
      expect(await tables.audit(purchase.email)).toHaveLength(1);
      expect(await proContentStatus(t.app, purchase.email)).toBe(200);
    });

    it('a refund answers 503 leaving the grant in place, and its redelivery revokes it', async () => {
      const purchase = newPurchase(uniqueEmail(`refund-${mode}`), 2);
      expect((await deliver(t.app, stripeEvents.checkoutCompleted(purchase))).statusCode).toBe(200);
      const userBefore = await tables.user(purchase.email);
      const grantBefore = await tables.grant(purchase.paymentIntent);
      const refund = stripeEvents.refunded(purchase);

      await t.proxy.switchTo(mode);
      expect((await deliver(t.app, refund)).statusCode).toBe(503);
      expect(await tables.user(purchase.email)).toEqual(userBefore);
      expect(await tables.grant(purchase.paymentIntent)).toEqual(grantBefore);
      expect(await tables.marker(refund.id)).toBeUndefined();

      await t.proxy.switchTo('forward');
      expect((await deliver(t.app, refund)).json()).toEqual({ received: true, outcome: 'applied' });
      expect(await tables.packageOf(purchase.email)).toBe(0);
      expect(await proContentStatus(t.app, purchase.email)).toBe(402);
    });
  });
});
