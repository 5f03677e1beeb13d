import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { LedgerTables, proContentStatus } from '../support/ledger-items.js';
import {
  deliver,
  newPurchase,
  stripeEvents,
  TEST_PACKAGES,
  type Purchase,
} from '../support/stripe-events.js';
import { useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

const STAFF = 'staff@example.com';
// More than one BatchGetItem (100 keys) and more than one transaction (100 actions) hold.
const MANY = 102;
const applied = { received: true, outcome: 'applied' };

describe('payments ledger: a user with more grants than one request holds', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo, { PACKAGES: TEST_PACKAGES, ADMIN_EMAILS: STAFF });
  const tables = new LedgerTables(dynamo, t);
  let staff: Record<string, string>;
  beforeAll(async () => {
    staff = bearer(await devToken(STAFF));
  });

  async function buyMany(email: string): Promise<Purchase[]> {
    const purchases = Array.from({ length: MANY }, () => newPurchase(email, 2));
    for (const purchase of purchases) {
      expect((await deliver(t.app, stripeEvents.checkoutCompleted(purchase))).json()).toEqual(applied);
    }
    return purchases;
  }
  const setPackage = (email: string, pkg: string) =>
    t.app.inject({
      method: 'PUT',
      url: `/admin/users/${email}/package`,
      headers: staff,
      payload: { package: pkg, reason: 'many grants' },
    });
  const grantsOf = async (email: string) =>
    ((await tables.user(email))?.grants ?? {}) as Record<string, number>;
  const history = async (email: string) =>
    (await tables.audit(email)).map(({ from, to, source }) => ({
      from,
      to,
      type: (source as { type: string }).type,
    }));

  // ~100 deliveries take a few seconds on DynamoDB Local.
  jest.setTimeout(30_000);

  it(`${MANY} grants: the guard answers, events apply, staff take all away and give back`, async () => {
    const email = uniqueEmail('many');
    const purchases = await buyMany(email);
    expect(await proContentStatus(t.app, email)).toBe(200);
    const basic = newPurchase(email, 1);
    expect((await deliver(t.app, stripeEvents.checkoutCompleted(basic))).json()).toEqual(applied);
    expect(Object.keys(await grantsOf(email))).toHaveLength(MANY + 1);

    const none = await setPackage(email, 'none');
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual({ email, packageId: 0, package: 'none' });
    expect(await tables.packageOf(email)).toBe(0);
    expect(await proContentStatus(t.app, email)).toBe(402);
    expect(await grantsOf(email)).toEqual({}); // revoked grants never come back: they leave the map
    const revoked = (await tables.ledgerItems()).filter(
      (item) => item.email === email && item.revokedByStaff,
    );
    expect(revoked.map((item) => item.grant_key).sort()).toEqual(
      [...purchases, basic].map((p) => p.paymentIntent).sort(),
    );

    const pro = await setPackage(email, 'pro');
    expect(pro.json()).toEqual({ email, packageId: 2, package: 'pro' });
    expect(Object.keys(await grantsOf(email))).toEqual([expect.stringMatching(/^staff:/)]);
    // One entry per package change, however many transactions the change took.
    expect(await history(email)).toEqual([
      { from: 0, to: 2, type: 'stripe' },
      { from: 2, to: 0, type: 'staff' },
      { from: 0, to: 2, type: 'staff' },
    ]);
  });

  it(`${MANY} grants lowered by hand to 0: all revoked at the next event, one external entry`, async () => {
    const email = uniqueEmail('many-banned');
    const purchases = await buyMany(email);
    await dynamo.client.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: { email },
        UpdateExpression: 'SET package_id = :p',
        ExpressionAttributeValues: { ':p': '0' },
      }),
    );
    const late = newPurchase(email, 1);
    expect((await deliver(t.app, stripeEvents.checkoutCompleted(late))).json()).toEqual(applied);
    expect(await tables.packageOf(email)).toBe(1);
    expect(await grantsOf(email)).toEqual({ [late.paymentIntent]: 1 });
    expect(await tables.grant(purchases[MANY - 1].paymentIntent)).toMatchObject({ revokedByStaff: true });
    expect(await history(email)).toEqual([
      { from: 0, to: 2, type: 'stripe' },
      { from: 2, to: 0, type: 'external' },
      { from: 0, to: 1, type: 'stripe' },
    ]);
  });
});
