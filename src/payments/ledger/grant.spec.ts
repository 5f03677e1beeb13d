import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Email } from '../../common/email.js';
import {
  derivePackage,
  isActive,
  mayBecomeActive,
  mergeFacts,
  newGrant,
  withGrant,
  type GrantFacts,
} from './grant.js';

const EMAIL = 'buyer@example.com' as Email;

const fact: fc.Arbitrary<GrantFacts> = fc.oneof(
  fc.constant<GrantFacts>({ email: EMAIL, packageId: 2, paid: true }),
  fc.constant<GrantFacts>({ email: EMAIL, packageId: 2, failed: true }),
  fc.constant<GrantFacts>({ refunded: true }),
  fc.constant<GrantFacts>({ revokedByStaff: true }),
  fc
    .tuple(fc.constantFrom('dp_1', 'dp_2'), fc.constantFrom('open' as const, 'won' as const, 'lost' as const))
    .map(([id, state]): GrantFacts => ({ disputes: { [id]: state } })),
);

const mergeAll = (facts: GrantFacts[]) => facts.reduce(mergeFacts, newGrant('pi_1'));

describe('grant facts', () => {
  it('give the same grant in any order and any number of times', () => {
    const deliveries = fc.array(fact, { maxLength: 8 }).chain((facts) =>
      fc.record({
        facts: fc.constant(facts),
        reordered: fc.shuffledSubarray(facts, { minLength: facts.length }),
        repeated: fc.subarray(facts),
      }),
    );
    fc.assert(
      fc.property(deliveries, ({ facts, reordered, repeated }) => {
        expect(mergeAll([...reordered, ...repeated])).toEqual(mergeAll(facts));
      }),
    );
  });

  it('keep a closed dispute closed when its "created" arrives late', () => {
    const wonFirst = mergeAll([
      { email: EMAIL, packageId: 2, paid: true },
      { disputes: { dp_1: 'won' } },
      { disputes: { dp_1: 'open' } },
    ]);
    expect(wonFirst.disputes).toEqual({ dp_1: 'won' });
    expect(isActive(wonFirst)).toBe(true);
  });

  it.each<[string, GrantFacts[], boolean]>([
    ['paid', [{ email: EMAIL, packageId: 2, paid: true }], true],
    ['paid, then refunded', [{ email: EMAIL, packageId: 2, paid: true }, { refunded: true }], false],
    [
      'paid, dispute open',
      [{ email: EMAIL, packageId: 2, paid: true }, { disputes: { dp_1: 'open' } }],
      false,
    ],
    [
      'paid, dispute lost',
      [{ email: EMAIL, packageId: 2, paid: true }, { disputes: { dp_1: 'lost' } }],
      false,
    ],
    ['paid, revoked by staff', [{ email: EMAIL, packageId: 2, paid: true }, { revokedByStaff: true }], false],
    ['never paid', [{ email: EMAIL, packageId: 2 }], false],
    ['paid but nobody to grant to', [{ paid: true }], false],
  ])('decides whether a grant is active: %s', (_label, facts, active) => {
    expect(isActive(mergeAll(facts))).toBe(active);
  });

  it('derive the package from the highest active grant; a refunded one leaves the map', () => {
    const pro = mergeFacts(newGrant('pi_pro'), { email: EMAIL, packageId: 2, paid: true });
    const basic = mergeFacts(newGrant('pi_basic'), { email: EMAIL, packageId: 1, paid: true });
    const grants = [basic, pro].reduce(withGrant, {});
    expect(derivePackage(grants)).toBe(2);
    const afterRefund = withGrant(grants, mergeFacts(pro, { refunded: true }));
    expect(afterRefund).toEqual({ pi_basic: 1 });
    expect(derivePackage(afterRefund)).toBe(1);
    expect(derivePackage({})).toBe(0);
  });

  it('keep a grant under an open dispute at 0, and drop it once the dispute is lost', () => {
    const paid = mergeAll([{ email: EMAIL, packageId: 2, paid: true }]);
    const disputed = mergeFacts(paid, { disputes: { dp_1: 'open' } });
    expect(withGrant({}, disputed)).toEqual({ pi_1: 0 });
    expect(withGrant({ pi_1: 0 }, mergeFacts(disputed, { disputes: { dp_1: 'won' } }))).toEqual({ pi_1: 2 });
    expect(withGrant({ pi_1: 0 }, mergeFacts(disputed, { disputes: { dp_1: 'lost' } }))).toEqual({});
    expect(withGrant({ pi_1: 0 }, mergeFacts(disputed, { revokedByStaff: true }))).toEqual({});
  });

  it('drop a paid grant from the map only when no later facts can make it active again', () => {
    const histories = fc.record({
      facts: fc.array(fact, { maxLength: 8 }),
      later: fc.array(fact, { maxLength: 8 }),
    });
    fc.assert(
      fc.property(histories, ({ facts, later }) => {
        const grant = mergeAll(facts);
        const kept = 'pi_1' in withGrant({}, grant);
        expect(kept).toBe(isActive(grant) || mayBecomeActive(grant));
        if (grant.paid && !kept) expect(isActive(mergeAll([...facts, ...later]))).toBe(false);
      }),
    );
  });
});
