import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { SubscriptionState } from '../../src/payments/subscriptions/subscription-access.js';
import { LedgerTables } from '../support/ledger-items.js';
import { deliver, stripeEvents, type StripeTestEvent } from '../support/stripe-events.js';
import { useStripeTestApp } from '../support/stripe-test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { uniqueEmail } from '../support/tokens.js';

const PACKAGES = '1:basic:price_basic_m,2:pro:price_pro_m';
const PRICE_OF = { 1: 'price_basic_m', 2: 'price_pro_m' } as const;

/** What happens to a subscription at Stripe after it is created, in order; each change makes an event. */
type Change = 'upgrade' | 'downgrade' | 'renew' | 'fail-renewal' | 'pay-retry' | 'cancel-at-end' | 'cancel';

const change = fc.constantFrom<Change>(
  'upgrade',
  'downgrade',
  'renew',
  'fail-renewal',
  'pay-retry',
  'cancel-at-end',
  'cancel',
);

describe('payments: subscription events in any order end at Stripe’s current state (property)', () => {
  const dynamo = useTestDynamo();
  const t = useStripeTestApp(dynamo, { PACKAGES });
  const tables = new LedgerTables(dynamo, t);
  beforeAll(() => {
    t.standIn.definePrice({ id: 'price_basic_m', recurring: { interval: 'month' } });
    t.standIn.definePrice({ id: 'price_pro_m', recurring: { interval: 'month' } });
  });

  /**
   * Carries out `changes` at the stand-in one by one, handing each event Stripe would send to
   * `sent` as it happens (the test delivers some of them at once, others later, in any order).
   */
  function live(changes: Change[], sent: (evt: StripeTestEvent) => Promise<void>) {
    const email = uniqueEmail('property');
    const customer = t.standIn.createCustomer({ email });
    const id = t.standIn.createSubscription({ customer, price: PRICE_OF[1], metadata: { email } }).id;
    const steps: Array<() => Promise<void>> = [
      () => sent(stripeEvents.subscription('customer.subscription.created', t.standIn.subscription(id))),
    ];
    for (const next of changes) {
      steps.push(async () => {
        const sub = t.standIn.subscription(id);
        if (sub.status === 'canceled') return;
        const updated = () =>
          sent(stripeEvents.subscription('customer.subscription.updated', t.standIn.subscription(id)));
        if (next === 'upgrade' || next === 'downgrade') {
          t.standIn.updateSubscription(id, { price: PRICE_OF[next === 'upgrade' ? 2 : 1] });
          await updated();
        } else if (next === 'renew' && !sub.cancel_at_period_end && sub.status === 'active') {
          await sent(stripeEvents.invoice('invoice.paid', t.standIn.renewSubscription(id).invoice));
        } else if (next === 'fail-renewal' && !sub.cancel_at_period_end && sub.status === 'active') {
          await sent(stripeEvents.invoice('invoice.payment_failed', t.standIn.failRenewal(id).invoice));
        } else if (next === 'pay-retry' && sub.status === 'past_due') {
          await sent(stripeEvents.invoice('invoice.paid', t.standIn.payLatestInvoice(id).invoice));
        } else if (next === 'cancel-at-end' && sub.status === 'active') {
          t.standIn.updateSubscription(id, { cancelAtPeriodEnd: true });
          await updated();
        } else if (next === 'cancel') {
          t.standIn.cancelSubscription(id);
          await sent(stripeEvents.subscription('customer.subscription.deleted', t.standIn.subscription(id)));
        }
      });
    }
    return { email, id, steps };
  }

  it('shuffled and repeated deliveries leave the grant as Stripe has the subscription', async () => {
    const runs = fc
      .array(change, { maxLength: 6 })
      .chain((changes) => fc.record({ changes: fc.constant(changes), seed: fc.integer() }));
    await fc.assert(
      fc.asyncProperty(runs, async ({ changes, seed }) => {
        const random = lcg(seed);
        const held: StripeTestEvent[] = [];
        const deliverSome = async () => {
          // Some held events go now, in any order; the rest wait for a later change (or the end).
          for (const evt of shuffled(held.splice(0), random)) {
            if (random() % 2 === 0) held.push(evt);
            else expect((await deliver(t.app, evt)).statusCode).toBe(200);
          }
        };
        const { email, id, steps } = live(changes, async (evt) => {
          held.push(evt);
          if (random() % 3 === 0) held.push(evt); // Stripe delivers some twice
          await deliverSome();
        });
        for (const step of steps) await step();
        for (const evt of shuffled(held, random)) expect((await deliver(t.app, evt)).statusCode).toBe(200);

        const now = t.standIn.subscription(id);
        const grant = (await tables.grant(id)) as { packageId: number; subscription: SubscriptionState };
        const item = now.items.data[0];
        expect(grant.subscription).toMatchObject({
          status: now.status,
          periodEnd: item.current_period_end,
          cancelAtPeriodEnd: now.cancel_at_period_end,
        });
        expect(grant.packageId).toBe(item.price.id === PRICE_OF[2] ? 2 : 1);
        const user = await tables.user(email);
        const running = now.status === 'active' || now.status === 'past_due';
        expect(user?.package_id ?? 0).toBe(running ? grant.packageId : 0);
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});

/** A small deterministic generator (an LCG), so a failing run replays from its seed. */
function lcg(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state >>> 8;
  };
}

/** Fisher–Yates with `random`. */
function shuffled<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random() % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
