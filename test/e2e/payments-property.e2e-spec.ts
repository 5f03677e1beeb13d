import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
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

/** What one purchase goes through at Stripe. */
interface Plan {
  packageId: 1 | 2;
  /** none: paid at checkout; otherwise completed unpaid, then the async outcome (or none yet). */
  async: 'none' | 'pending' | 'succeeded' | 'failed';
  refund: boolean;
  disputeCreated: boolean;
  disputeClosed: 'none' | 'won' | 'lost';
}

type Kind =
  | 'paid-checkout'
  | 'unpaid-checkout'
  | 'async-succeeded'
  | 'async-failed'
  | 'refund'
  | 'dispute-created'
  | 'dispute-won'
  | 'dispute-lost';

interface Step {
  purchase: number;
  kind: Kind;
}

function stepsOf(plan: Plan, purchase: number): Step[] {
  const kinds: Kind[] = [plan.async === 'none' ? 'paid-checkout' : 'unpaid-checkout'];
  if (plan.async === 'succeeded') kinds.push('async-succeeded');
  if (plan.async === 'failed') kinds.push('async-failed');
  if (plan.refund) kinds.push('refund');
  if (plan.disputeCreated) kinds.push('dispute-created');
  if (plan.disputeClosed !== 'none') kinds.push(`dispute-${plan.disputeClosed}`);
  return kinds.map((kind) => ({ purchase, kind }));
}

function eventOf(kind: Kind, p: Purchase): StripeTestEvent {
  switch (kind) {
    case 'paid-checkout':
      return stripeEvents.checkoutCompleted(p, 'paid');
    case 'unpaid-checkout':
      return stripeEvents.checkoutCompleted(p, 'unpaid');
    case 'async-succeeded':
      return stripeEvents.asyncPaymentSucceeded(p);
    case 'async-failed':
      return stripeEvents.asyncPaymentFailed(p);
    case 'refund':
      return stripeEvents.refunded(p);
    case 'dispute-created':
      return stripeEvents.disputeCreated(p);
    case 'dispute-won':
      return stripeEvents.disputeClosed(p, 'won');
    case 'dispute-lost':
      return stripeEvents.disputeClosed(p, 'lost');
  }
}

/**
 * The oracle, from the set of delivered events alone: a purchase counts when paid (at checkout or
 * asynchronously), its payment did not fail, it was not refunded, and its dispute, if any is known,
 * was won (a closed dispute stays closed whatever arrives after). The package is the highest counted.
 */
function expectedPackage(plans: Plan[], delivered: Step[]): number {
  const active = plans.map((plan, i) => {
    const has = (kind: Kind) => delivered.some((s) => s.purchase === i && s.kind === kind);
    const paid = has('paid-checkout') || has('async-succeeded');
    const disputed = has('dispute-lost') || (has('dispute-created') && !has('dispute-won'));
    return paid && !has('async-failed') && !has('refund') && !disputed ? plan.packageId : 0;
  });
  return Math.max(0, ...active);
}

const planArb: fc.Arbitrary<Plan> = fc.record({
  packageId: fc.constantFrom(1 as const, 2 as const),
  async: fc.constantFrom(
    'none' as const,
    'none' as const,
    'pending' as const,
    'succeeded' as const,
    'failed' as const,
  ),
  // Weighted towards purchases that stay active, so the others' effects are visible in the package.
  refund: fc.constantFrom(false, false, true),
  disputeCreated: fc.boolean(),
  disputeClosed: fc.constantFrom('none' as const, 'none' as const, 'won' as const, 'lost' as const),
});

/** Plans, then which of their events arrive in which order, some more than once, some concurrently. */
const scenarioArb = fc.array(planArb, { minLength: 1, maxLength: 3 }).chain((plans) => {
  const steps = plans.flatMap(stepsOf);
  const indexes = steps.map((_, i) => i);
  return fc.record({
    plans: fc.constant(plans),
    steps: fc.constant(steps),
    order: fc.shuffledSubarray(indexes, { minLength: Math.max(1, steps.length - 2) }),
    repeats: fc.array(fc.tuple(fc.constantFrom(...indexes), fc.nat()), { maxLength: 4 }),
    /** Deliveries sent at once; Stripe does not wait for one answer before the next event. */
    batch: fc.constantFrom(1, 1, 2, 3),
  });
});

describe('payments webhook: any delivery of any event set (property)', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo, { PACKAGES: TEST_PACKAGES });
  const tables = new LedgerTables(dynamo, t);

  it('the final package depends only on which events arrived', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ plans, steps, order, repeats, batch }) => {
        const email = uniqueEmail('prop');
        const purchases = plans.map((plan) => newPurchase(email, plan.packageId));
        const events = steps.map((step) => eventOf(step.kind, purchases[step.purchase]));
        const deliveries = [...order];
        for (const [index, at] of repeats) deliveries.splice(at % (deliveries.length + 1), 0, index);

        const outcomes = new Map<string, string[]>();
        for (let i = 0; i < deliveries.length; i += batch) {
          const sent = deliveries.slice(i, i + batch).map((index) => events[index]);
          const responses = await Promise.all(sent.map((evt) => deliver(t.app, evt)));
          responses.forEach((response, j) => {
            expect(response.statusCode).toBe(200);
            const { outcome } = response.json() as { outcome: string };
            outcomes.set(sent[j].id, [...(outcomes.get(sent[j].id) ?? []), outcome]);
          });
        }
        for (const seen of outcomes.values()) {
          expect([...seen].sort()).toEqual(['applied', ...seen.slice(1).map(() => 'duplicate')]);
        }

        const expected = expectedPackage(
          plans,
          [...new Set(deliveries)].map((index) => steps[index]),
        );
        expect(await tables.packageOf(email)).toBe(expected);
        const grants = ((await tables.user(email))?.grants ?? {}) as Record<string, number>;
        expect(Math.max(0, ...Object.values(grants))).toBe(expected);
        expect(await proContentStatus(t.app, email)).toBe(expected === 2 ? 200 : 402);
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});
