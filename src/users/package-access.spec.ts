import { describe, expect, it } from '@jest/globals';
import { firstLapse, packageAt } from './package-access.js';

const NOW = 1_800_000_000_000;

describe('packageAt', () => {
  it('is package_id as written while no time-bounded grant has lapsed', () => {
    const stored = { packageId: 2, grants: { sub_1: 2, pi_1: 1 }, grantUntil: { sub_1: NOW + 1000 } };
    expect(packageAt(stored, NOW)).toEqual({ packageId: 2, until: NOW + 1000 });
    // A package set by hand (no grants at all) is honoured as before, for ever.
    expect(packageAt({ packageId: 3, grants: {}, grantUntil: {} }, NOW)).toEqual({
      packageId: 3,
      until: null,
    });
  });

  it('falls to the highest grant still running once a subscription lapses, with no event', () => {
    const stored = {
      packageId: 3,
      grants: { sub_pro: 3, sub_basic: 2, pi_1: 1 },
      grantUntil: { sub_pro: NOW - 1, sub_basic: NOW + 5000 },
    };
    expect(packageAt(stored, NOW)).toEqual({ packageId: 2, until: NOW + 5000 });
    expect(packageAt(stored, NOW + 5000)).toEqual({ packageId: 1, until: null });
  });

  it('ignores the end of grants that give nothing now (0: may come back)', () => {
    expect(firstLapse({ sub_1: 0, sub_2: 2 }, { sub_1: NOW, sub_2: NOW + 9 })).toBe(NOW + 9);
    expect(firstLapse({ pi_1: 1 }, {})).toBeNull();
  });
});
