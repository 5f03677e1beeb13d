import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createTestCaller } from '../../src/testing/index.js';
import { useAppBehindProxy } from '../support/app-behind-proxy.js';
import { LedgerTables } from '../support/ledger-items.js';
import {
  deliver,
  enterprisePurchase,
  TEST_PACKAGES,
  TEST_PACKAGES_WITH_ENTERPRISE,
  type StripeTestEvent,
} from '../support/stripe-events.js';
import { loseAnswerOf, refuseWith, type ProxyMode } from '../support/switchable-proxy.js';
import { createTestApp, ledgerTableOf, type TestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

const STAFF = 'dismiss-staff@example.com';
const NO_BODY = Symbol('no body');

describe('payments: staff dismiss a parked event that should never be applied', () => {
  const dynamo = useTestDynamo();
  let t: TestApp;
  let staff: Record<string, string>;
  const tables = new LedgerTables(dynamo, {
    get tableName() {
      return t.tableName;
    },
  });

  const startApp = (packages: string, tableName?: string) =>
    createTestApp(dynamo, {
      PACKAGES: packages,
      ADMIN_EMAILS: STAFF,
      ...(tableName ? { DYNAMO_TABLE_NAME: tableName } : {}),
    });
  const dismiss = (eventId: string, body: unknown = { reason: 'a Stripe test webhook' }, headers = staff) =>
    t.app.inject({
      method: 'POST',
      url: `/admin/payments/unapplied/${eventId}/dismiss`,
      headers,
      ...(body === NO_BODY ? {} : { payload: body as object }),
    });
  const staffRequest = (method: 'GET' | 'POST', url: string) => t.app.inject({ method, url, headers: staff });
  const list = async () => (await staffRequest('GET', '/admin/payments/unapplied?limit=100')).json();
  const dismissals = () => tables.audit('DISMISSED');
  async function park(): Promise<{ evt: StripeTestEvent; email: string }> {
    const purchase = enterprisePurchase(uniqueEmail('dismissed'));
    expect((await deliver(t.app, purchase.evt)).json()).toEqual({ received: true, outcome: 'parked' });
    return purchase;
  }

  beforeAll(async () => {
    t = await startApp(TEST_PACKAGES);
    staff = bearer(await devToken(STAFF));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('removes it from the list, marks it done, audits who and why, and grants nothing', async () => {
    const kept = await park();
    const { evt, email } = await park();
    const before = await list();
    const startedAt = new Date().toISOString();

    const answer = await dismiss(evt.id, { reason: '  a Stripe "send test webhook" event  ' });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ eventId: evt.id, outcome: 'dismissed' });

    const after = await list();
    expect(after.total).toBe(before.total - 1);
    const listedIds = after.items.map((item: { eventId: string }) => item.eventId);
    expect(listedIds).toContain(kept.evt.id);
    expect(listedIds).not.toContain(evt.id);
    expect((await staffRequest('GET', `/admin/payments/unapplied/${evt.id}`)).statusCode).toBe(404);
    expect(await tables.unapplied(evt.id)).toBeUndefined();
    expect(await tables.unapplied(kept.evt.id)).toBeDefined();
    expect(await tables.marker(evt.id)).toMatchObject({ event_type: 'checkout.session.completed' });

    const audit = (await dismissals()).filter((item) => item.eventId === evt.id);
    expect(audit).toEqual([
      {
        pk: 'AUDIT#DISMISSED',
        sk: `${audit[0]?.at}#${evt.id}`,
        action: 'dismissed',
        eventId: evt.id,
        eventType: 'checkout.session.completed',
        source: { type: 'staff', staffEmail: STAFF },
        reason: 'a Stripe "send test webhook" event',
        at: expect.any(String),
      },
    ]);
    expect(String(audit[0].at) >= startedAt).toBe(true);
    expect(await tables.user(email)).toBeUndefined();
    expect(await tables.audit(email)).toEqual([]);
    expect((await tables.ledgerItems()).filter((item) => String(item.pk).startsWith('GRANT#'))).toEqual([]);

    // Stripe delivers it again: done with, never parked again, never applied.
    const redelivered = await deliver(t.app, evt);
    expect(redelivered.statusCode).toBe(200);
    expect(redelivered.json()).toEqual({ received: true, outcome: 'duplicate' });
    expect((await list()).total).toBe(after.total);
    expect(await tables.unapplied(evt.id)).toBeUndefined();
    expect(await tables.user(email)).toBeUndefined();

    const replayed = await staffRequest('POST', `/admin/payments/unapplied/${evt.id}/replay`);
    expect(replayed.statusCode).toBe(404);
    const again = await dismiss(evt.id);
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: 'PAYMENTS.UNAPPLIED_NOT_FOUND', eventId: evt.id });
    expect((await dismissals()).filter((item) => item.eventId === evt.id)).toHaveLength(1);
  });

  it('refuses a bad body or event id with 400 and writes nothing', async () => {
    const { evt } = await park();
    const auditBefore = (await dismissals()).length;
    for (const body of [
      NO_BODY,
      {},
      { reason: '' },
      { reason: '   ' },
      { reason: 'x'.repeat(501) },
      { reason: 'ok', by: 'x' },
      { reason: 42 },
    ]) {
      const answer = await dismiss(evt.id, body);
      expect({ body, status: answer.statusCode, code: answer.json().code }).toEqual({
        body,
        status: 400,
        code: 'REQUEST.INVALID',
      });
    }
    expect((await dismiss('not-an-event')).statusCode).toBe(400);
    expect(await tables.unapplied(evt.id)).toBeDefined();
    expect(await tables.marker(evt.id)).toBeUndefined();
    expect(await dismissals()).toHaveLength(auditBefore);
    expect((await dismiss(evt.id, { reason: 'x'.repeat(500) })).statusCode).toBe(200);
  });

  it('answers 404 for an event that is not parked', async () => {
    const answer = await dismiss('evt_never_parked_here');
    expect(answer.statusCode).toBe(404);
    expect(answer.json()).toMatchObject({
      code: 'PAYMENTS.UNAPPLIED_NOT_FOUND',
      eventId: 'evt_never_parked_here',
    });
    expect(await tables.marker('evt_never_parked_here')).toBeUndefined();
  });

  it('lets exactly one of concurrent dismisses succeed, across two instances on one table', async () => {
    const other = await startApp(TEST_PACKAGES, t.tableName);
    try {
      for (let round = 0; round < 3; round++) {
        const { evt } = await park();
        const answers = await Promise.all(
          [t.app, other.app, t.app, other.app, t.app, other.app].map((app) =>
            app.inject({
              method: 'POST',
              url: `/admin/payments/unapplied/${evt.id}/dismiss`,
              headers: staff,
              payload: { reason: `round ${round}` },
            }),
          ),
        );
        expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 404, 404, 404, 404, 404]);
        expect((await dismissals()).filter((item) => item.eventId === evt.id)).toHaveLength(1);
        expect(await tables.unapplied(evt.id)).toBeUndefined();
      }
    } finally {
      await other.close();
    }
  }, 30_000);

  it('refuses (404) and writes nothing when the marker of the event exists (applied before it was parked)', async () => {
    const { evt } = await park();
    // Applied meanwhile by another path: its marker is there, behind this app's back.
    const marker = { pk: `EVENT#${evt.id}`, sk: 'EVENT', event_type: evt.type, processed_at: 'earlier' };
    await dynamo.client.send(new PutCommand({ TableName: ledgerTableOf(t.tableName), Item: marker }));

    const answer = await dismiss(evt.id);
    expect(answer.statusCode).toBe(404);
    expect(answer.json()).toMatchObject({ code: 'PAYMENTS.UNAPPLIED_NOT_FOUND', eventId: evt.id });
    expect(await tables.marker(evt.id)).toEqual(marker);
    expect(await tables.unapplied(evt.id)).toBeDefined();
    expect((await dismissals()).filter((item) => item.eventId === evt.id)).toEqual([]);
  });

  it('lets a replay clear such a dead letter instead (200 duplicate), writing no marker or grant of its own', async () => {
    const { evt, email } = await park();
    const marker = { pk: `EVENT#${evt.id}`, sk: 'EVENT', event_type: evt.type, processed_at: 'earlier' };
    await dynamo.client.send(new PutCommand({ TableName: ledgerTableOf(t.tableName), Item: marker }));

    const answer = await staffRequest('POST', `/admin/payments/unapplied/${evt.id}/replay`);
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ eventId: evt.id, outcome: 'duplicate' });
    expect(await tables.unapplied(evt.id)).toBeUndefined();
    expect(await tables.marker(evt.id)).toEqual(marker);
    expect(await tables.audit(email)).toEqual([]);
    expect((await staffRequest('GET', `/admin/payments/unapplied/${evt.id}`)).statusCode).toBe(404);
  });

  it('is for staff with a token only: others 403, an API key 403 AUTH.TOKEN_REQUIRED', async () => {
    const { evt } = await park();
    const outsider = bearer(await devToken(uniqueEmail('outsider')));
    expect((await dismiss(evt.id, { reason: 'by an outsider' }, outsider)).statusCode).toBe(403);
    const caller = await createTestCaller(t.app, 'none', { email: STAFF });
    const created = await t.app.inject({
      method: 'POST',
      url: '/users/me/api-keys',
      headers: caller.headers,
      payload: { name: 'ci' },
    });
    const byKey = await dismiss(evt.id, { reason: 'by key' }, bearer(created.json().key));
    expect(byKey.statusCode).toBe(403);
    expect(byKey.json().code).toBe('AUTH.TOKEN_REQUIRED');
    expect(await tables.unapplied(evt.id)).toBeDefined();
  });

  it('racing a replay that applies it, exactly one of them takes effect', async () => {
    const { evt, email } = await park();
    await t.close();
    t = await startApp(TEST_PACKAGES_WITH_ENTERPRISE, t.tableName);
    const [replayed, dismissed] = await Promise.all([
      staffRequest('POST', `/admin/payments/unapplied/${evt.id}/replay`),
      dismiss(evt.id),
    ]);
    const audited = (await dismissals()).filter((item) => item.eventId === evt.id);
    if (dismissed.statusCode === 200) {
      expect(replayed.statusCode === 404 || replayed.json().outcome === 'duplicate').toBe(true);
      expect(await tables.packageOf(email)).toBe(0);
      expect(audited).toHaveLength(1);
    } else {
      expect(dismissed.statusCode).toBe(404);
      expect(replayed.json()).toEqual({ eventId: evt.id, outcome: 'applied' });
      expect(await tables.packageOf(email)).toBe(3);
      expect(audited).toEqual([]);
    }
    expect(await tables.unapplied(evt.id)).toBeUndefined();
  }, 20_000);
});

describe('payments: dismissing while DynamoDB is unreachable', () => {
  const dynamo = useTestDynamo();
  const t = useAppBehindProxy(dynamo, {
    PACKAGES: TEST_PACKAGES,
    ADMIN_EMAILS: STAFF,
    DYNAMO_TIMEOUT_MS: '300',
    DYNAMO_CONNECT_TIMEOUT_MS: '300',
    DYNAMO_MAX_ATTEMPTS: '2',
  });
  const tables = new LedgerTables(dynamo, t); // straight to the engine, not through the proxy

  it('answers 200 once when the answer of the transaction is lost (the SDK retries it with the same token)', async () => {
    const { evt } = enterprisePurchase(uniqueEmail('dismissed'));
    expect((await deliver(t.app, evt)).json()).toEqual({ received: true, outcome: 'parked' });
    await t.proxy.switchTo(loseAnswerOf('TransactWriteItems'));
    const answer = await t.app.inject({
      method: 'POST',
      url: `/admin/payments/unapplied/${evt.id}/dismiss`,
      headers: bearer(await devToken(STAFF)),
      payload: { reason: 'a test webhook' },
    });
    expect(answer.json()).toEqual({ eventId: evt.id, outcome: 'dismissed' });
    expect(await tables.unapplied(evt.id)).toBeUndefined();
    const audit = (await tables.ledgerItems()).filter(
      (item) => item.pk === 'AUDIT#DISMISSED' && item.eventId === evt.id,
    );
    expect(audit).toHaveLength(1);
  }, 15_000);

  it.each<ProxyMode>(['refuse', 'black-hole', refuseWith('TransactWriteItems', 'ThrottlingException', 5)])(
    'answers 503 + Retry-After when its port is switched to %j, losing nothing; a retry dismisses it',
    async (mode) => {
      const { evt } = enterprisePurchase(uniqueEmail('dismissed'));
      expect((await deliver(t.app, evt)).json()).toEqual({ received: true, outcome: 'parked' });
      const headers = bearer(await devToken(STAFF));
      const request = {
        method: 'POST' as const,
        url: `/admin/payments/unapplied/${evt.id}/dismiss`,
        headers,
        payload: { reason: 'a test webhook' },
      };
      const before = await tables.ledgerItems();

      await t.proxy.switchTo(mode);
      const failed = await t.app.inject(request);
      expect(failed.statusCode).toBe(503);
      expect(failed.headers['retry-after']).toBe('1');
      expect(failed.json()).toMatchObject({ code: 'DEPENDENCY.UNAVAILABLE' });
      expect(await tables.ledgerItems()).toEqual(before);

      await t.proxy.switchTo('forward');
      expect((await t.app.inject(request)).json()).toEqual({ eventId: evt.id, outcome: 'dismissed' });
      expect(await tables.unapplied(evt.id)).toBeUndefined();
      expect(await tables.marker(evt.id)).toBeDefined();
    },
    15_000,
  );
});
