import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { LedgerTables, proContentStatus } from '../support/ledger-items.js';
import { deliver, newPurchase, stripeEvents, TEST_PACKAGES } from '../support/stripe-events.js';
import { useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

const STAFF = 'staff@example.com';
const applied = { received: true, outcome: 'applied' };

// The tutorial's boto3 set_user_package, the console or a script: package_id set directly, with no
// version bump (the tutorial writes it as a string).
describe('payments ledger: package_id written from outside packgate', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo, { PACKAGES: TEST_PACKAGES, ADMIN_EMAILS: STAFF });
  const tables = new LedgerTables(dynamo, t);
  let staff: Record<string, string>;
  beforeAll(async () => {
    staff = bearer(await devToken(STAFF));
  });

  const history = async (email: string) =>
    (await tables.audit(email)).map(({ from, to, source }) => ({ from, to, source }));
  const stripe = (type: string) => ({ type: 'stripe', eventId: expect.any(String), eventType: type });
  const paid = stripe('checkout.session.completed');
  const grantKeys = async (email: string) =>
    Object.keys(((await tables.user(email))?.grants ?? {}) as object);

  it.each([2, '2'])(
    'a package raised by hand (%j) survives the next purchase as an external grant',
    async (raised) => {
      const email = uniqueEmail('raised');
      await deliver(t.app, stripeEvents.checkoutCompleted(newPurchase(email, 1)));
      await tables.writePackageByHand(email, raised);

      const next = newPurchase(email, 1);
      expect((await deliver(t.app, stripeEvents.checkoutCompleted(next))).json()).toEqual(applied);
      expect(await tables.user(email)).toMatchObject({ package_id: 2, version: 3 });
      expect(await proContentStatus(t.app, email)).toBe(200);
      expect(await history(email)).toEqual([
        { from: 0, to: 1, source: paid },
        { from: 1, to: 2, source: { type: 'external' } },
      ]);
      const externalKey = (await grantKeys(email)).find((key) => key.startsWith('external:'))!;
      expect(await tables.grant(externalKey)).toMatchObject({ email, packageId: 2, paid: true, version: 1 });
      expect((await tables.user(email))?.grants).toMatchObject({ [externalKey]: 2, [next.paymentIntent]: 1 });
    },
  );

  it('staff revoke an external grant like any other, and the answer says what the ledger derived', async () => {
    const email = uniqueEmail('revoke-external');
    await deliver(t.app, stripeEvents.checkoutCompleted(newPurchase(email, 1)));
    await tables.writePackageByHand(email, '2');
    const put = await t.app.inject({
      method: 'PUT',
      url: `/admin/users/${email}/package`,
      headers: staff,
      payload: { package: 'basic', reason: 'the pro set by hand was a mistake' },
    });
    expect(put.json()).toEqual({ email, packageId: 1, package: 'basic' });
    expect(await tables.packageOf(email)).toBe(1);
    expect(await history(email)).toEqual([
      { from: 0, to: 1, source: paid },
      { from: 1, to: 2, source: { type: 'external' } },
      { from: 2, to: 1, source: { type: 'staff', staffEmail: STAFF } },
    ]);
    expect((await grantKeys(email)).filter((key) => key.startsWith('external:'))).toEqual([]);
  });

  it.each([
    [1, 1],
    ['0', 0],
  ])(
    'a package lowered by hand to %j revokes the grants above it at the next event',
    async (lowered, kept) => {
      const email = uniqueEmail('lowered');
      const [basic, pro] = [newPurchase(email, 1), newPurchase(email, 2)];
      await deliver(t.app, stripeEvents.checkoutCompleted(basic));
      await deliver(t.app, stripeEvents.checkoutCompleted(pro));
      await tables.writePackageByHand(email, lowered);

      await deliver(t.app, stripeEvents.disputeCreated(basic)); // any event for the user
      expect(await tables.grant(pro.paymentIntent)).toMatchObject({ revokedByStaff: true });
      expect((await history(email))[2]).toEqual({ from: 2, to: kept, source: { type: 'external' } });
      // The revocation is final: the pro purchase's dispute won later does not bring it back.
      await deliver(t.app, stripeEvents.disputeCreated(pro));
      await deliver(t.app, stripeEvents.disputeClosed(pro, 'won'));
      await deliver(t.app, stripeEvents.disputeClosed(basic, 'won'));
      expect(await tables.packageOf(email)).toBe(kept);
      expect(await proContentStatus(t.app, email)).toBe(402);
    },
  );

  it('a user item written by earlier versions with a `legacy` grant entry keeps working', async () => {
    const email = uniqueEmail('legacy-entry');
    await dynamo.client.send(
      new PutCommand({
        TableName: t.tableName,
        Item: { email, package_id: 2, grants: { legacy: 2 }, version: 1 },
      }),
    );
    const basic = newPurchase(email, 1);
    await deliver(t.app, stripeEvents.checkoutCompleted(basic));
    expect(await tables.user(email)).toMatchObject({
      package_id: 2,
      grants: { legacy: 2, [basic.paymentIntent]: 1 },
      version: 2,
    });
    expect(await history(email)).toEqual([]);
    const put = await t.app.inject({
      method: 'PUT',
      url: `/admin/users/${email}/package`,
      headers: staff,
      payload: { package: 'basic', reason: 'the pre-ledger pro ends' },
    });
    expect(put.json()).toMatchObject({ packageId: 1 });
    expect((await tables.user(email))?.grants).toEqual({ [basic.paymentIntent]: 1 });
  });
});
