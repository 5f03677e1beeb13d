import { describe, expect, it } from '@jest/globals';
import { StripeSyncService } from '../../src/payments/events/stripe-sync.service.js';
import { LedgerTables } from '../support/ledger-items.js';
import { deliver, newPurchase, stripeEvents, TEST_PACKAGES } from '../support/stripe-events.js';
import { useStripeTestApp } from '../support/stripe-test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { uniqueEmail } from '../support/tokens.js';

const HOUR_S = 3600;

describe("stripe:sync: reconciliation from Stripe's events API", () => {
  const dynamo = useTestDynamo();
  const t = useStripeTestApp(dynamo, { PACKAGES: TEST_PACKAGES });
  const tables = new LedgerTables(dynamo, t);

  const sync = (hours: number) =>
    t.app.get(StripeSyncService).sync(new Date(Date.now() - hours * HOUR_S * 1000));

  it('applies exactly the events the webhook missed, once; a second run applies nothing', async () => {
    const now = Math.floor(Date.now() / 1000);
    // 130 events over two days (more than one page of 100): purchases, and refunds of some of them.
    const purchases = Array.from({ length: 100 }, (_, i) =>
      newPurchase(uniqueEmail(`sync-${i}`), 1 + (i % 2)),
    );
    const events = [
      ...purchases.map((p, i) => ({
        ...stripeEvents.checkoutCompleted(p),
        created: now - 2 * 24 * HOUR_S + i,
      })),
      ...purchases.slice(0, 30).map((p, i) => ({ ...stripeEvents.refunded(p), created: now - HOUR_S + i })),
    ];
    for (const evt of events) t.standIn.publishEvent(evt);
    // An event of a type packgate does not handle is never asked for.
    t.standIn.publishEvent({ ...stripeEvents.other('customer.created'), created: now - 10 });
    // The webhook got the first 60 purchases and 10 of the refunds before its outage.
    const delivered = [...events.slice(0, 60), ...events.slice(100, 110)];
    for (const evt of delivered) expect((await deliver(t.app, evt)).json().outcome).toBe('applied');
    // A purchase older than the window stays out of it.
    const old = newPurchase(uniqueEmail('too-old'), 2);
    t.standIn.publishEvent({ ...stripeEvents.checkoutCompleted(old), created: now - 5 * 24 * HOUR_S });

    const first = await sync(72);
    expect(first).toEqual({ seen: 130, applied: 60, duplicate: 70, parked: 0, ignored: 0 });
    for (const [i, p] of purchases.entries()) {
      expect(await tables.packageOf(p.email)).toBe(i < 30 ? 0 : 1 + (i % 2));
    }
    expect(await tables.user(old.email)).toBeUndefined();

    const second = await sync(72);
    expect(second).toEqual({ seen: 130, applied: 0, duplicate: 130, parked: 0, ignored: 0 });
    const requests = t.standIn.requests.filter((r) => r.path === '/v1/events');
    expect(requests.length).toBeGreaterThanOrEqual(4); // two pages a run
    expect(requests[0].form).toMatchObject({ 'created[gte]': expect.any(String), limit: '100' });
  }, 60_000);

  it('parks what it cannot apply, once, and counts it', async () => {
    t.standIn.reset();
    const purchase = newPurchase(uniqueEmail('sync-unknown'), 2);
    const evt = stripeEvents.checkoutCompleted(purchase);
    (evt.data.object as { metadata: Record<string, string> }).metadata.package_id = '9';
    t.standIn.publishEvent(evt);

    expect(await sync(1)).toEqual({ seen: 1, applied: 0, duplicate: 0, parked: 1, ignored: 0 });
    expect(await tables.unapplied(evt.id)).toMatchObject({ attempts: 1 });
    expect(await tables.marker(evt.id)).toBeUndefined();
    expect(await sync(1)).toEqual({ seen: 1, applied: 0, duplicate: 0, parked: 1, ignored: 0 });
    expect(await tables.unapplied(evt.id)).toMatchObject({ attempts: 2 });
  });
});
