import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LedgerTables } from '../support/ledger-items.js';
import { deliver, newPurchase, stripeEvents, TEST_PACKAGES } from '../support/stripe-events.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { uniqueEmail } from '../support/tokens.js';

const DELIVERIES_PER_INSTANCE = 10;

describe('payments webhook: concurrent deliveries to two instances', () => {
  const dynamo = useTestDynamo();
  let first: TestApp;
  let second: TestApp;
  let tables: LedgerTables;
  beforeAll(async () => {
    first = await createTestApp(dynamo, { PACKAGES: TEST_PACKAGES });
    second = await createTestApp(dynamo, { PACKAGES: TEST_PACKAGES, DYNAMO_TABLE_NAME: first.tableName });
    tables = new LedgerTables(dynamo, first);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  const instances = () => [first, second];

  it('the same event delivered concurrently many times is applied exactly once', async () => {
    const purchase = newPurchase(uniqueEmail('same-event'), 2);
    const evt = stripeEvents.checkoutCompleted(purchase);
    const responses = await Promise.all(
      Array.from({ length: DELIVERIES_PER_INSTANCE }).flatMap(() =>
        instances().map((t) => deliver(t.app, evt)),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(responses.map(() => 200));
    const outcomes = responses.map((r) => (r.json() as { outcome: string }).outcome);
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(outcomes.length - 1);
    expect(await tables.audit(purchase.email)).toHaveLength(1);
    expect(await tables.user(purchase.email)).toMatchObject({ package_id: 2, version: 1 });
    expect(await tables.grant(purchase.paymentIntent)).toMatchObject({ version: 1 });
  });

  it('two purchases by one user on the two instances at once both count', async () => {
    const email = uniqueEmail('two-purchases');
    const [basic, pro] = [newPurchase(email, 1), newPurchase(email, 2)];
    const responses = await Promise.all([
      deliver(first.app, stripeEvents.checkoutCompleted(basic)),
      deliver(second.app, stripeEvents.checkoutCompleted(pro)),
    ]);
    expect(responses.map((r) => r.json())).toEqual([
      { received: true, outcome: 'applied' },
      { received: true, outcome: 'applied' },
    ]);
    expect(await tables.user(email)).toMatchObject({
      package_id: 2,
      grants: { [basic.paymentIntent]: 1, [pro.paymentIntent]: 2 },
    });
  });

  it('many events for one user, delivered concurrently and twice each, end where the events say', async () => {
    const email = uniqueEmail('many');
    const purchases = [1, 2, 1, 2, 1].map((packageId) => newPurchase(email, packageId));
    const pros = purchases.filter((p) => p.packageId === 2);
    const events = [
      ...purchases.map((p) => stripeEvents.checkoutCompleted(p)),
      ...pros.map((p) => stripeEvents.refunded(p)), // every pro refunded: basic is what is left
    ];
    const responses = await Promise.all(
      [...events, ...events].map((evt, i) => deliver(instances()[i % 2].app, evt)),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(responses.map(() => 200));
    const applied = responses.filter((r) => (r.json() as { outcome: string }).outcome === 'applied');
    expect(applied).toHaveLength(events.length);

    const user = await tables.user(email);
    expect(user?.package_id).toBe(1);
    // The refunded pros can never be active again: only the basics stay in the user's map.
    const basics = purchases.filter((p) => p.packageId === 1);
    expect(user?.grants).toEqual(Object.fromEntries(basics.map((p) => [p.paymentIntent, 1])));
  });
});
