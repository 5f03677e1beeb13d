import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LedgerTables } from '../support/ledger-items.js';
import { deliver, newPurchase, signature, stripeEvents, TEST_PACKAGES } from '../support/stripe-events.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { TEST_WEBHOOK_SECRET, uniqueEmail } from '../support/tokens.js';

const now = () => Math.floor(Date.now() / 1000);

function post(app: NestFastifyApplication, payload: string, headers: Record<string, string>) {
  return app.inject({ method: 'POST', url: '/payments/stripe/webhook', headers, payload });
}

const json = (stripeSignature?: string) => ({
  'content-type': 'application/json',
  ...(stripeSignature === undefined ? {} : { 'stripe-signature': stripeSignature }),
});

/** `t=<timestamp>,v1=<sig by secret 1>,v1=<sig by secret 2>…`, as Stripe sends during a rotation. */
function multiSignature(payload: string, secrets: string[]): string {
  const timestamp = now();
  const v1 = secrets.map((secret) => signature(payload, secret, timestamp).split(',v1=')[1]);
  return [`t=${timestamp}`, ...v1.map((sig) => `v1=${sig}`)].join(',');
}

describe('payments webhook: signature', () => {
  const dynamo = useTestDynamo();

  describe('refused deliveries write nothing', () => {
    let t: TestApp;
    let tables: LedgerTables;
    beforeAll(async () => {
      t = await createTestApp(dynamo, { PACKAGES: TEST_PACKAGES });
      tables = new LedgerTables(dynamo, t);
    });
    afterAll(async () => {
      await t.close();
    });

    type Refusal = (payload: string) => { body: string; headers: Record<string, string> };
    it.each<[string, Refusal]>([
      ['no Stripe-Signature header', (payload) => ({ body: payload, headers: json() })],
      ['a malformed header', (payload) => ({ body: payload, headers: json('t=abc,v1=zz') })],
      [
        'a signature made with another secret',
        (payload) => ({ body: payload, headers: json(signature(payload, 'whsec_not_ours')) }),
      ],
      [
        'a correctly signed but stale timestamp (older than 300 s)',
        (payload) => ({
          body: payload,
          headers: json(signature(payload, TEST_WEBHOOK_SECRET, now() - 301)),
        }),
      ],
      [
        'the body re-serialized after signing',
        (payload) => ({
          body: JSON.stringify(JSON.parse(payload), null, 2),
          headers: json(signature(payload)),
        }),
      ],
      ['an empty signature header', (payload) => ({ body: payload, headers: json('') })],
      [
        'a correctly signed timestamp dated beyond the 300 s tolerance ahead',
        (payload) => ({
          body: payload,
          headers: json(signature(payload, TEST_WEBHOOK_SECRET, now() + 301)),
        }),
      ],
      [
        'a timestamp ten years ahead',
        (payload) => ({
          body: payload,
          headers: json(signature(payload, TEST_WEBHOOK_SECRET, now() + 10 * 365 * 86_400)),
        }),
      ],
      [
        'a future t= after a current one (the SDK reads the last)',
        (payload) => {
          const future = signature(payload, TEST_WEBHOOK_SECRET, now() + 86_400);
          return { body: payload, headers: json(`t=${now()},${future}`) };
        },
      ],
    ])('%s → 400 PAYMENTS.INVALID_SIGNATURE', async (_case, refusal) => {
      const email = uniqueEmail('sig');
      const { body, headers } = refusal(
        JSON.stringify(stripeEvents.checkoutCompleted(newPurchase(email, 2))),
      );
      const response = await post(t.app, body, headers);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'PAYMENTS.INVALID_SIGNATURE',
        message: expect.any(String),
      });
      expect(await tables.ledgerItems()).toEqual([]);
      expect(await tables.user(email)).toBeUndefined();
    });

    // Stripe sends JSON only; Fastify itself refuses types it has no parser for (415).
    it.each([
      ['text/plain', 400, 'REQUEST.INVALID'],
      ['application/x-www-form-urlencoded', 400, 'REQUEST.INVALID'],
      ['application/octet-stream', 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE'],
    ])('a correctly signed body sent as %s → %i %s', async (contentType, status, code) => {
      const email = uniqueEmail('ctype');
      const payload = JSON.stringify(stripeEvents.checkoutCompleted(newPurchase(email, 2)));
      const response = await post(t.app, payload, {
        'content-type': contentType,
        'stripe-signature': signature(payload),
      });
      expect(response.statusCode).toBe(status);
      expect(response.json()).toMatchObject({ statusCode: status, code });
      expect(await tables.ledgerItems()).toEqual([]);
      expect(await tables.user(email)).toBeUndefined();
    });
  });

  describe('secret rotation', () => {
    it('accepts a header carrying an old and a new v1 signature when one matches', async () => {
      const t = await createTestApp(dynamo, { PACKAGES: TEST_PACKAGES });
      try {
        const email = uniqueEmail('rotation');
        const payload = JSON.stringify(stripeEvents.checkoutCompleted(newPurchase(email, 2)));
        const header = multiSignature(payload, ['whsec_retired_secret', TEST_WEBHOOK_SECRET]);
        const response = await post(t.app, payload, json(header));
        expect(response.statusCode).toBe(200);
        expect(response.json()).toEqual({ received: true, outcome: 'applied' });
        expect(await new LedgerTables(dynamo, t).packageOf(email)).toBe(2);
      } finally {
        await t.close();
      }
    });

    it('with STRIPE_WEBHOOK_SECRET=old,new accepts either secret and refuses a third', async () => {
      const t = await createTestApp(dynamo, {
        PACKAGES: TEST_PACKAGES,
        STRIPE_WEBHOOK_SECRET: 'whsec_old,whsec_new',
      });
      try {
        const tables = new LedgerTables(dynamo, t);
        for (const secret of ['whsec_old', 'whsec_new']) {
          const email = uniqueEmail('rotated');
          const payload = JSON.stringify(stripeEvents.checkoutCompleted(newPurchase(email, 1)));
          const response = await post(t.app, payload, json(signature(payload, secret)));
          expect(response.json()).toEqual({ received: true, outcome: 'applied' });
          expect(await tables.packageOf(email)).toBe(1);
        }
        const email = uniqueEmail('third');
        const evt = stripeEvents.checkoutCompleted(newPurchase(email, 1));
        const refused = await deliver(t.app, evt); // signed with the default test secret
        expect(refused.statusCode).toBe(400);
        expect(refused.json()).toMatchObject({ code: 'PAYMENTS.INVALID_SIGNATURE' });
        expect(await tables.user(email)).toBeUndefined();
        expect(await tables.marker(evt.id)).toBeUndefined();
      } finally {
        await t.close();
      }
    });
  });
});
