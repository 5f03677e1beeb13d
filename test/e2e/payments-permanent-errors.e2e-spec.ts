import { describe, expect, it } from '@jest/globals';
import { useAppBehindProxy } from '../support/app-behind-proxy.js';
import { LedgerTables, proContentStatus } from '../support/ledger-items.js';
import { deliver, newPurchase, stripeEvents, TEST_PACKAGES } from '../support/stripe-events.js';
import { refuseWith } from '../support/switchable-proxy.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

const STAFF = 'ledger-staff@example.com';

describe('payments: permanent and transient DynamoDB errors', () => {
  const dynamo = useTestDynamo();
  const t = useAppBehindProxy(dynamo, {
    PACKAGES: TEST_PACKAGES,
    ADMIN_EMAILS: STAFF,
    DYNAMO_MAX_ATTEMPTS: '2',
    ENTITLEMENT_CACHE_TTL_MS: '0',
  });
  const tables = new LedgerTables(dynamo, t);
  const staff = async () => bearer(await devToken(STAFF));

  it('a ValidationException on the ledger write parks the event (200); a replay after the fix applies it once', async () => {
    const purchase = newPurchase(uniqueEmail('refused'), 2);
    const evt = stripeEvents.checkoutCompleted(purchase);
    await t.proxy.switchTo(refuseWith('TransactWriteItems', 'ValidationException', 1));

    const response = await deliver(t.app, evt);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ received: true, outcome: 'parked' });
    expect(await tables.marker(evt.id)).toBeUndefined();
    expect(await tables.grant(purchase.paymentIntent)).toBeUndefined();
    expect(await tables.user(purchase.email)).toBeUndefined();

    const headers = await staff();
    const listed = await t.app.inject({ method: 'GET', url: '/admin/payments/unapplied', headers });
    expect(listed.json().items).toEqual([
      expect.objectContaining({ eventId: evt.id, reason: expect.stringContaining('ValidationException') }),
    ]);

    // The cause is gone (the proxy refused one request only): the replay goes through the ledger.
    const url = `/admin/payments/unapplied/${evt.id}/replay`;
    const replayed = await t.app.inject({ method: 'POST', url, headers });
    expect(replayed.json()).toEqual({ eventId: evt.id, outcome: 'applied' });
    expect(await tables.packageOf(purchase.email)).toBe(2);
    expect(await proContentStatus(t.app, purchase.email)).toBe(200);
    expect((await t.app.inject({ method: 'POST', url, headers })).statusCode).toBe(404);
    expect((await deliver(t.app, evt)).json()).toEqual({ received: true, outcome: 'duplicate' });
    expect(await tables.audit(purchase.email)).toHaveLength(1);
  });

  it.each(['ThrottlingException', 'AccessDeniedException', 'ResourceNotFoundException'])(
    '%s is transient: 503 for Stripe to retry, nothing parked, and the retry applies',
    async (errorType) => {
      const purchase = newPurchase(uniqueEmail('transient'), 2);
      const evt = stripeEvents.checkoutCompleted(purchase);
      const before = await tables.ledgerItems();
      await t.proxy.switchTo(refuseWith('TransactWriteItems', errorType, 100));

      const failed = await deliver(t.app, evt);
      expect(failed.statusCode).toBe(503);
      expect(failed.json()).toMatchObject({ code: 'DEPENDENCY.UNAVAILABLE' });
      expect(await tables.ledgerItems()).toEqual(before);

      await t.proxy.switchTo('forward');
      expect((await deliver(t.app, evt)).json()).toEqual({ received: true, outcome: 'applied' });
      expect(await tables.packageOf(purchase.email)).toBe(2);
    },
  );

  it('elsewhere a permanent error is a 500 INTERNAL, not a 503 to retry', async () => {
    const headers = bearer(await devToken(uniqueEmail('reader')));
    await t.proxy.switchTo(refuseWith('GetItem', 'ValidationException', 1));
    const response = await t.app.inject({ method: 'GET', url: '/users/me', headers });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      code: 'INTERNAL',
      message: 'Something went wrong on our side.',
    });
  });
});
