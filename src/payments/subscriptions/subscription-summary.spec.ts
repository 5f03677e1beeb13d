import { describe, expect, it } from '@jest/globals';
import type { Email } from '../../common/email.js';
import type { UserPackageState } from '../../users/user.js';
import { newGrant, withSubscription, type Grant } from '../ledger/grant.js';
import { subscriptionAfter, summaryOf } from './subscription-summary.js';

const EMAIL = 'subscriber@example.com' as Email;
const PERIOD_END = Math.floor(Date.now() / 1000) + 86_400;

function subscription(key: string, packageId: number, status = 'active', version = 1): Grant {
  const accessUntil = status === 'active' ? PERIOD_END * 1000 : 0;
  const state = { status, accessUntil, periodEnd: PERIOD_END, cancelAtPeriodEnd: false, pastDueSince: null };
  return { ...withSubscription(newGrant(key), { email: EMAIL, packageId, subscription: state }), version };
}
function userWith(grants: Grant[], recorded: Grant | null): UserPackageState {
  const active = grants.filter((grant) => grant.subscription?.status === 'active');
  return {
    packageId: Math.max(0, ...active.map((grant) => grant.packageId ?? 0)),
    storedPackageId: null,
    grants: Object.fromEntries(active.map((grant) => [grant.key, grant.packageId ?? 0])),
    grantUntil: Object.fromEntries(active.map((grant) => [grant.key, PERIOD_END * 1000])),
    subscription: recorded && summaryOf(recorded),
    version: 3,
  };
}
const noReads = async (): Promise<Grant | null> => {
  throw new Error('no other grant should be read');
};

describe('subscriptionAfter', () => {
  it('records the first subscription, and the one read again', async () => {
    const basic = subscription('sub_basic', 1);
    expect(await subscriptionAfter(null, basic, noReads)).toEqual(summaryOf(basic));
    const upgraded = subscription('sub_basic', 2);
    expect(await subscriptionAfter(userWith([basic], basic), upgraded, noReads)).toEqual(summaryOf(upgraded));
  });

  it('keeps a subscription that gives more than the one just read', async () => {
    const pro = subscription('sub_pro', 2);
    const basic = subscription('sub_basic', 1);
    expect(await subscriptionAfter(userWith([pro], pro), basic, noReads)).toEqual(summaryOf(pro));
  });

  it('moves to the subscription that gives most when the recorded one ends', async () => {
    const pro = subscription('sub_pro', 2);
    const basic = subscription('sub_basic', 1);
    const canceled = subscription('sub_pro', 2, 'canceled', 2);
    const read = async (key: string) => (key === basic.key ? basic : null);
    expect(await subscriptionAfter(userWith([pro, basic], pro), canceled, read)).toEqual(summaryOf(basic));
  });

  it('records the one heard of last when none gives anything', async () => {
    const oldEnded = subscription('sub_old', 2, 'canceled');
    const newEnded = subscription('sub_new', 1, 'canceled');
    expect(await subscriptionAfter(userWith([], oldEnded), newEnded, noReads)).toEqual(summaryOf(newEnded));
  });
});
