import { describe, expect, it } from '@jest/globals';
import { LedgerTables, proContentStatus } from '../support/ledger-items.js';
import {
  deliver,
  newPurchase,
  stripeEvents,
  TEST_PACKAGES,
  type Purchase,
} from '../support/stripe-events.js';
import { loseAnswerOf } from '../support/switchable-proxy.js';
import { useAppBehindProxy } from '../support/app-behind-proxy.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { uniqueEmail } from '../support/tokens.js';

// A lost answer is a reset connection, which the SDK retries on a fresh one up to this many attempts.
const SDK_ATTEMPTS = 3;
// The status line of a lost answer that told of success: the engine committed what it was sent.
const COMMITTED = 'HTTP/1.1 200 OK';

describe('payments webhook: DynamoDB commits the transaction but its answer is lost', () => {
  const dynamo = useTestDynamo();
  const t = useAppBehindProxy(dynamo, {
    PACKAGES: TEST_PACKAGES,
    DYNAMO_TIMEOUT_MS: '2000',
    DYNAMO_CONNECT_TIMEOUT_MS: '1000',
    DYNAMO_MAX_ATTEMPTS: String(SDK_ATTEMPTS),
    // Every /content/pro check reads DynamoDB, not a cache that would hide what was stored.
    ENTITLEMENT_CACHE_TTL_MS: '0',
  });
  const tables = new LedgerTables(dynamo, t); // straight to the engine, not through the proxy

  /** The purchase's effect is stored exactly once: one grant write, one user write, one audit entry. */
  async function expectAppliedOnce(purchase: Purchase, eventId: string): Promise<void> {
    expect(await tables.marker(eventId)).toBeDefined();
    expect(await tables.grant(purchase.paymentIntent)).toMatchObject({
      email: purchase.email,
      packageId: 2,
      paid: true,
      version: 1,
    });
    expect(await tables.user(purchase.email)).toMatchObject({
      package_id: 2,
      grants: { [purchase.paymentIntent]: 2 },
      version: 1,
    });
    expect(await tables.audit(purchase.email)).toEqual([
      expect.objectContaining({ from: 0, to: 2, source: expect.objectContaining({ eventId }) }),
    ]);
    expect(await proContentStatus(t.app, purchase.email)).toBe(200);
  }

  it('a purchase whose commit answer is lost once answers 200, applied once; redelivered, a duplicate', async () => {
    const purchase = newPurchase(uniqueEmail('lost-once'), 2);
    const evt = stripeEvents.checkoutCompleted(purchase);
    const lostBefore = t.proxy.answersLost;

    await t.proxy.switchTo(loseAnswerOf('TransactWriteItems'));
    const response = await deliver(t.app, evt);
    expect(t.proxy.lostAnswerStatuses.slice(lostBefore)).toEqual([COMMITTED]);
    expect(response.statusCode).toBe(200);
    // Seen: 'applied'. The SDK's retry carries the first attempt's ClientRequestToken, so DynamoDB
    // replays that attempt's success instead of evaluating the conditions again. A retry without the
    // token would meet the event's own marker and answer 'duplicate', the next test's path.
    expect(response.json()).toEqual({
      received: true,
      outcome: expect.stringMatching(/^(applied|duplicate)$/),
    });
    await expectAppliedOnce(purchase, evt.id);

    expect((await deliver(t.app, evt)).json()).toEqual({ received: true, outcome: 'duplicate' });
    await expectAppliedOnce(purchase, evt.id);
    expect(t.proxy.answersLost).toBe(lostBefore + 1);
  });

  it('a purchase whose every commit answer is lost answers 503; redelivered, it finds its own marker', async () => {
    const purchase = newPurchase(uniqueEmail('lost-always'), 2);
    const evt = stripeEvents.checkoutCompleted(purchase);
    const lostBefore = t.proxy.answersLost;

    await t.proxy.switchTo(loseAnswerOf('TransactWriteItems', SDK_ATTEMPTS));
    const failed = await deliver(t.app, evt);
    // Every attempt was told of success: the retries carry the first one's ClientRequestToken, so the
    // engine replays its answer; none of those answers reached the app.
    expect(t.proxy.lostAnswerStatuses.slice(lostBefore)).toEqual(Array(SDK_ATTEMPTS).fill(COMMITTED));
    expect(failed.statusCode).toBe(503);
    expect(failed.json()).toMatchObject({ code: 'DEPENDENCY.UNAVAILABLE' });
    await expectAppliedOnce(purchase, evt.id); // committed all the same, by the first attempt

    await t.proxy.switchTo('forward');
    expect((await deliver(t.app, evt)).json()).toEqual({ received: true, outcome: 'duplicate' });
    await expectAppliedOnce(purchase, evt.id);
  });
});
