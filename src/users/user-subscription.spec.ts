import { describe, expect, it } from '@jest/globals';
import { subscriptionLapse, subscriptionView, type SubscriptionSummary } from './user-subscription.js';

const NOW = 1_800_000_000_000;
const PERIOD_END = 1_800_100_000;
const summary = (fields: Partial<SubscriptionSummary> = {}): SubscriptionSummary => ({
  key: 'sub_1',
  packageId: 2,
  status: 'active',
  periodEnd: PERIOD_END,
  cancelAtPeriodEnd: false,
  ...fields,
});
const giving = { grants: { sub_1: 2 }, grantUntil: { sub_1: NOW + 1000 } };
const lapsedByTime = { grants: { sub_1: 2 }, grantUntil: { sub_1: NOW } };
const lapsedAndWritten = { grants: { sub_1: 0 }, grantUntil: {} };
const gone = { grants: {}, grantUntil: {} };

describe('subscriptionLapse', () => {
  it('is null while the subscription gives access, and for users who never had one', () => {
    expect(subscriptionLapse(summary(), giving, NOW)).toBeNull();
    expect(subscriptionLapse(summary({ status: 'past_due' }), giving, NOW)).toBeNull(); // in grace
    expect(subscriptionLapse(null, gone, NOW)).toBeNull();
  });

  it('says past_due once the grace is over, whether or not the ledger wrote since', () => {
    const pastDue = summary({ status: 'past_due' });
    expect(subscriptionLapse(pastDue, lapsedByTime, NOW)).toBe('subscription_past_due');
    expect(subscriptionLapse(pastDue, lapsedAndWritten, NOW)).toBe('subscription_past_due');
  });

  it.each(['canceled', 'unpaid', 'incomplete_expired', 'paused'])('says ended for %s', (status) => {
    expect(subscriptionLapse(summary({ status }), gone, NOW)).toBe('subscription_ended');
  });

  it('says ended when access ran out at the period end (no event, or written since)', () => {
    const cancelling = summary({ cancelAtPeriodEnd: true });
    expect(subscriptionLapse(cancelling, lapsedByTime, NOW)).toBe('subscription_ended');
    expect(subscriptionLapse(summary(), lapsedAndWritten, NOW)).toBe('subscription_ended');
  });

  it('is null for a subscription that never started, or whose grant staff revoked', () => {
    expect(subscriptionLapse(summary({ status: 'incomplete' }), lapsedAndWritten, NOW)).toBeNull();
    expect(subscriptionLapse(summary(), gone, NOW)).toBeNull();
  });
});

describe('subscriptionView', () => {
  it('renews at the period end while Stripe will bill again', () => {
    const renewsAt = new Date(PERIOD_END * 1000).toISOString();
    expect(subscriptionView(summary()).renewsAt).toBe(renewsAt);
    expect(subscriptionView(summary({ status: 'past_due' })).renewsAt).toBe(renewsAt);
  });

  it('does not renew when set to cancel at period end, nor once ended', () => {
    expect(subscriptionView(summary({ cancelAtPeriodEnd: true }))).toEqual({
      packageId: 2,
      status: 'active',
      renewsAt: null,
      cancelAtPeriodEnd: true,
    });
    expect(subscriptionView(summary({ status: 'canceled' })).renewsAt).toBeNull();
    expect(subscriptionView(summary({ status: 'unpaid' })).renewsAt).toBeNull();
  });
});
