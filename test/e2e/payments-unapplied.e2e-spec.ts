import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LedgerTables, proContentStatus } from '../support/ledger-items.js';
import {
  deliver,
  enterprisePurchase,
  TEST_PACKAGES,
  TEST_PACKAGES_WITH_ENTERPRISE,
} from '../support/stripe-events.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

const STAFF = 'payments-staff@example.com';

describe('payments: events that cannot be applied are parked, listed and replayed', () => {
  const dynamo = useTestDynamo();
  let t: TestApp;
  let staff: Record<string, string>;
  const tables = new LedgerTables(dynamo, {
    get tableName() {
      return t.tableName;
    },
  });

  const startApp = async (packages: string, tableName?: string) =>
    createTestApp(dynamo, {
      PACKAGES: packages,
      ADMIN_EMAILS: STAFF,
      ...(tableName ? { DYNAMO_TABLE_NAME: tableName } : {}),
    });
  const list = (query = '') =>
    t.app.inject({ method: 'GET', url: `/admin/payments/unapplied${query}`, headers: staff });
  const replay = (eventId: string) =>
    t.app.inject({ method: 'POST', url: `/admin/payments/unapplied/${eventId}/replay`, headers: staff });

  beforeAll(async () => {
    t = await startApp(TEST_PACKAGES);
    staff = bearer(await devToken(STAFF));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('parks a paid purchase of a package the catalog lacks, then applies it once after the fix', async () => {
    const { evt, email } = enterprisePurchase(uniqueEmail('parked'), Math.floor(Date.now() / 1000));
    const first = await deliver(t.app, evt);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ received: true, outcome: 'parked' });
    expect(await tables.marker(evt.id)).toBeUndefined();
    expect(await tables.user(email)).toBeUndefined();

    const listed = (await list()).json();
    expect(listed.total).toBe(1);
    expect(listed.items).toEqual([
      {
        eventId: evt.id,
        eventType: 'checkout.session.completed',
        eventCreatedAt: new Date(evt.created * 1000).toISOString(),
        reason: expect.stringContaining('does not have'),
        parkedAt: expect.any(String),
        lastAttemptAt: expect.any(String),
        attempts: 1,
      },
    ]);
    const shown = await t.app.inject({
      method: 'GET',
      url: `/admin/payments/unapplied/${evt.id}`,
      headers: staff,
    });
    expect(shown.json().event).toEqual(evt);

    // Replayed before the cause is fixed: still parked, the attempt counted.
    const early = await replay(evt.id);
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'PAYMENTS.STILL_UNAPPLIED', eventId: evt.id });
    expect((await list()).json().items[0].attempts).toBe(2);

    // The fix: the operator restarts with the package in the catalog.
    await t.close();
    t = await startApp(TEST_PACKAGES_WITH_ENTERPRISE, t.tableName);
    const replayed = await replay(evt.id);
    expect(replayed.statusCode).toBe(200);
    expect(replayed.json()).toEqual({ eventId: evt.id, outcome: 'applied' });
    expect(await tables.packageOf(email)).toBe(3);
    expect(await proContentStatus(t.app, email)).toBe(200);
    expect(await tables.marker(evt.id)).toBeDefined();
    expect((await list()).json()).toEqual({ items: [], next: null, total: 0 });
    expect((await replay(evt.id)).statusCode).toBe(404);

    const again = await deliver(t.app, evt);
    expect(again.json()).toEqual({ received: true, outcome: 'duplicate' });
    expect(await tables.audit(email)).toHaveLength(1);
  });

  it('lists newest first, in pages', async () => {
    await t.close();
    t = await startApp(TEST_PACKAGES);
    const base = Math.floor(Date.now() / 1000);
    const parked = [
      enterprisePurchase(uniqueEmail('parked'), base - 300),
      enterprisePurchase(uniqueEmail('parked'), base - 100),
      enterprisePurchase(uniqueEmail('parked'), base - 200),
    ];
    for (const { evt } of parked) expect((await deliver(t.app, evt)).json().outcome).toBe('parked');

    const first = (await list('?limit=2')).json();
    expect(first.total).toBe(3);
    expect(first.items.map((item: { eventId: string }) => item.eventId)).toEqual([
      parked[1].evt.id,
      parked[2].evt.id,
    ]);
    const second = (await list(`?limit=2&cursor=${first.next}`)).json();
    expect(second.items.map((item: { eventId: string }) => item.eventId)).toEqual([parked[0].evt.id]);
    expect(second.next).toBeNull();

    expect((await list('?cursor=bm90LWEtY3Vyc29y')).statusCode).toBe(400);
    expect((await list('?limit=0')).statusCode).toBe(400);
    expect((await replay('not-an-event')).statusCode).toBe(400);
  });

  it('is for staff only', async () => {
    const outsider = bearer(await devToken(uniqueEmail('outsider')));
    for (const request of [
      { method: 'GET' as const, url: '/admin/payments/unapplied' },
      { method: 'POST' as const, url: '/admin/payments/unapplied/evt_1/replay' },
    ]) {
      const response = await t.app.inject({ ...request, headers: outsider });
      expect(response.statusCode).toBe(403);
    }
  });
});
