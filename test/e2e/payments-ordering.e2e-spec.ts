import { describe, expect, it } from '@jest/globals';
import { LedgerTables, proContentStatus } from '../support/ledger-items.js';
import {
  deliver,
  newPurchase,
  stripeEvents,
  TEST_PACKAGES,
  type Purchase,
  type StripeTestEvent,
} from '../support/stripe-events.js';
import { useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { uniqueEmail } from '../support/tokens.js';

type Step = [name: string, build: (p: Purchase) => StripeTestEvent];

const completed: Step = ['completed', (p) => stripeEvents.checkoutCompleted(p)];
const refunded: Step = ['refunded', (p) => stripeEvents.refunded(p)];
const disputed: Step = ['dispute created', (p) => stripeEvents.disputeCreated(p)];
const won: Step = ['dispute won', (p) => stripeEvents.disputeClosed(p, 'won')];
const lost: Step = ['dispute lost', (p) => stripeEvents.disputeClosed(p, 'lost')];

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/** [title, steps] for it.each, one per order of `steps`. */
const everyOrder = (steps: Step[]) =>
  permutations(steps).map((order) => [order.map(([name]) => name).join(' → '), order] as const);

describe('payments webhook: ordering and duplicates', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo, { PACKAGES: TEST_PACKAGES });
  const tables = new LedgerTables(dynamo, t);

  /** Delivers `steps` for a fresh pro purchase, each answered 200 applied; returns the buyer. */
  async function deliverInOrder(steps: readonly Step[]): Promise<string> {
    const purchase = newPurchase(uniqueEmail('order'), 2);
    for (const [, build] of steps) {
      const response = await deliver(t.app, build(purchase));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ received: true, outcome: 'applied' });
    }
    return purchase.email;
  }

  async function expectPackage(email: string, packageId: number): Promise<void> {
    expect(await tables.packageOf(email)).toBe(packageId);
    expect(await proContentStatus(t.app, email)).toBe(packageId === 2 ? 200 : 402);
  }

  it.each(everyOrder([completed, refunded]))('%s ends revoked', async (_title, order) => {
    await expectPackage(await deliverInOrder(order), 0);
  });

  it.each(everyOrder([completed, disputed, won]))('%s ends active', async (_title, order) => {
    await expectPackage(await deliverInOrder(order), 2);
  });

  it.each(everyOrder([completed, disputed, lost]))('%s ends revoked', async (_title, order) => {
    await expectPackage(await deliverInOrder(order), 0);
  });

  it('a dispute opened and won before the purchase event arrives leaves the purchase active', async () => {
    await expectPackage(await deliverInOrder([disputed, won, completed]), 2);
  });

  it('a dispute still open keeps the purchase inactive until it is won', async () => {
    const purchase = newPurchase(uniqueEmail('open-dispute'), 2);
    await deliver(t.app, stripeEvents.checkoutCompleted(purchase));
    await deliver(t.app, stripeEvents.disputeCreated(purchase));
    await expectPackage(purchase.email, 0);
    await deliver(t.app, stripeEvents.disputeClosed(purchase, 'won'));
    await expectPackage(purchase.email, 2);
  });

  it('the same event delivered three times is applied once', async () => {
    const purchase = newPurchase(uniqueEmail('dup'), 2);
    const evt = stripeEvents.checkoutCompleted(purchase);
    const outcomes: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await deliver(t.app, evt);
      expect(response.statusCode).toBe(200);
      outcomes.push(response.json());
    }
    expect(outcomes).toEqual([
      { received: true, outcome: 'applied' },
      { received: true, outcome: 'duplicate' },
      { received: true, outcome: 'duplicate' },
    ]);
    await expectPackage(purchase.email, 2);
    expect(await tables.audit(purchase.email)).toHaveLength(1);
    expect((await tables.grant(purchase.paymentIntent))?.version).toBe(1);
    expect((await tables.user(purchase.email))?.version).toBe(1);

    const marker = await tables.marker(evt.id);
    const thirtyDaysAhead = Math.floor(Date.now() / 1000) + 30 * 24 * 3600;
    expect(marker).toMatchObject({ event_type: 'checkout.session.completed' });
    expect(marker?.expires_at).toEqual(expect.any(Number));
    expect(marker!.expires_at as number).toBeGreaterThanOrEqual(thirtyDaysAhead);
  });

  it('a refund redelivered after a new purchase does not take the new purchase away', async () => {
    const email = uniqueEmail('redelivered-refund');
    const first = newPurchase(email, 2);
    const refund = stripeEvents.refunded(first);
    await deliver(t.app, stripeEvents.checkoutCompleted(first));
    await deliver(t.app, refund);
    const second = newPurchase(email, 2);
    await deliver(t.app, stripeEvents.checkoutCompleted(second));
    expect((await deliver(t.app, refund)).json()).toEqual({ received: true, outcome: 'duplicate' });
    await expectPackage(email, 2);
  });
});
