import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { deliver, newPurchase, stripeEvents, TEST_PACKAGES } from '../support/stripe-events.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

const STAFF = 'boss@example.com';

describe('staff: manual grants, revocations and history', () => {
  const dynamo = useTestDynamo();
  let t: TestApp;
  let staff: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(dynamo, {
      PACKAGES: TEST_PACKAGES,
      ADMIN_EMAILS: ` Boss@Example.com ,ops@example.com`,
    });
    staff = bearer(await devToken(STAFF));
  });
  afterAll(async () => {
    await t.close();
  });

  const setPackage = (email: string, body: unknown, headers = staff) =>
    t.app.inject({ method: 'PUT', url: `/admin/users/${email}/package`, headers, payload: body as object });
  const packageOf = async (email: string) =>
    (await t.app.inject({ method: 'GET', url: '/users/me', headers: bearer(await devToken(email)) })).json()
      .packageId;
  const grantsOnUser = async (email: string) =>
    (
      await dynamo.client.send(
        new GetCommand({ TableName: t.tableName, Key: { email }, ConsistentRead: true }),
      )
    ).Item?.grants;
  const history = async (email: string) =>
    (await t.app.inject({ method: 'GET', url: `/admin/users/${email}/history`, headers: staff })).json()
      .history;

  it('answers 403 to callers who are not staff, and writes nothing', async () => {
    const email = uniqueEmail();
    const outsider = bearer(await devToken(uniqueEmail('outsider')));
    const put = await setPackage(email, { package: 'pro', reason: 'please' }, outsider);
    expect(put.statusCode).toBe(403);
    expect(put.json()).toMatchObject({ statusCode: 403, code: 'AUTH.FORBIDDEN' });
    const read = await t.app.inject({
      method: 'GET',
      url: `/admin/users/${email}/history`,
      headers: outsider,
    });
    expect(read.statusCode).toBe(403);
    expect(await history(email)).toEqual([]);
  });

  it('grants by hand, creating the user, and records who and why', async () => {
    const email = uniqueEmail();
    const put = await setPackage(email, { package: 'pro', reason: 'conference speaker' });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ email, packageId: 2, package: 'pro' });
    expect(await packageOf(email)).toBe(2);
    expect(await history(email)).toEqual([
      {
        email,
        from: 0,
        to: 2,
        source: { type: 'staff', staffEmail: STAFF },
        reason: 'conference speaker',
        at: expect.any(String),
      },
    ]);
  });

  it('revokes a Stripe grant by hand, and a dispute won later does not bring it back', async () => {
    const email = uniqueEmail();
    const purchase = newPurchase(email, 2);
    await deliver(t.app, stripeEvents.checkoutCompleted(purchase));
    await deliver(t.app, stripeEvents.disputeCreated(purchase));
    expect(await packageOf(email)).toBe(0);
    // Under an open dispute the grant may come back: it stays on the user, at 0, for staff to find.
    expect(await grantsOnUser(email)).toEqual({ [purchase.paymentIntent]: 0 });
    expect((await setPackage(email, { package: 'none', reason: 'fraud' })).statusCode).toBe(200);
    expect(await grantsOnUser(email)).toEqual({});
    await deliver(t.app, stripeEvents.disputeClosed(purchase, 'won'));
    expect(await packageOf(email)).toBe(0);
  });

  it('lowers a package: grants above are revoked and a staff grant gives the lower one', async () => {
    const email = uniqueEmail();
    await deliver(t.app, stripeEvents.checkoutCompleted(newPurchase(email, 2)));
    expect((await setPackage(email, { package: 1, reason: 'downgrade requested' })).json()).toMatchObject({
      packageId: 1,
    });
    expect(await packageOf(email)).toBe(1);
    const entries = await history(email);
    expect(entries.map((entry: { from: number; to: number }) => [entry.from, entry.to])).toEqual([
      [2, 1],
      [0, 2],
    ]);
    expect(entries[1].source).toMatchObject({ type: 'stripe', eventType: 'checkout.session.completed' });
  });

  it('keeps a package written before the ledger as a grant of its own, until staff lower it', async () => {
    const email = uniqueEmail('tutorial');
    // As the tutorial's Python code wrote it: package_id a string, no grants, no version.
    await dynamo.client.send(new PutCommand({ TableName: t.tableName, Item: { email, package_id: '2' } }));
    await deliver(t.app, stripeEvents.checkoutCompleted(newPurchase(email, 1)));
    expect(await packageOf(email)).toBe(2);
    await setPackage(email, { package: 'basic', reason: 'tutorial-era pro ends' });
    expect(await packageOf(email)).toBe(1);
  });

  it.each([
    [{ package: 'gold', reason: 'x' }, 'PAYMENTS.UNKNOWN_PACKAGE'],
    // Ids are JSON integers, as at checkout: "2" is a name, and no package has it.
    [{ package: '2', reason: 'x' }, 'PAYMENTS.UNKNOWN_PACKAGE'],
    [{ package: -1, reason: 'x' }, 'REQUEST.INVALID'],
    [{ package: 'pro' }, 'REQUEST.INVALID'],
    [{ package: 'pro', reason: '' }, 'REQUEST.INVALID'],
    [{ package: 'pro', reason: 'x', packageId: 2 }, 'REQUEST.INVALID'],
  ])('refuses %j with 400 %s and writes nothing', async (body, code) => {
    const email = uniqueEmail();
    const put = await setPackage(email, body);
    expect(put.statusCode).toBe(400);
    expect(put.json()).toMatchObject({ statusCode: 400, code });
    expect(await history(email)).toEqual([]);
  });

  it('refuses a form-encoded body with 415 and writes nothing', async () => {
    const email = uniqueEmail();
    const put = await t.app.inject({
      method: 'PUT',
      url: `/admin/users/${email}/package`,
      headers: { ...staff, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'package=pro&reason=form',
    });
    expect(put.statusCode).toBe(415);
    expect(put.json()).toMatchObject({ statusCode: 415, code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE' });
    expect(await history(email)).toEqual([]);
  });

  it('refuses an email that is not an address', async () => {
    const put = await setPackage('not-an-email', { package: 'pro', reason: 'x' });
    expect(put.statusCode).toBe(400);
    expect(put.json()).toMatchObject({ code: 'USERS.INVALID_EMAIL' });
  });
});
