import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../config/app-config.js';
import { parsePackageLimits } from './package-limits.js';
import { windowAt } from './usage-limit.js';

const PACKAGES = [
  { id: 1, name: 'basic', stripePriceIds: [] },
  { id: 2, name: 'pro', stripePriceIds: [] },
];

describe('PACKAGE_LIMITS', () => {
  it('reads limits by package name or id, several joined by +', () => {
    const limits = parsePackageLimits('none=60/min, basic=600/min+100000/month,2=20/10s', PACKAGES);
    expect(limits).toEqual(
      new Map([
        [0, [{ policy: 'min', quota: 60, window: { kind: 'fixed', ms: 60_000 } }]],
        [
          1,
          [
            { policy: 'min', quota: 600, window: { kind: 'fixed', ms: 60_000 } },
            { policy: 'month', quota: 100_000, window: { kind: 'month' } },
          ],
        ],
        [2, [{ policy: '10s', quota: 20, window: { kind: 'fixed', ms: 10_000 } }]],
      ]),
    );
    expect(parsePackageLimits('', PACKAGES)).toEqual(new Map());
  });

  it.each([
    ['gold=5/min', '"gold" is not a package'],
    ['basic=5/min,basic=6/min', 'listed twice'],
    ['basic=5/min+6/min', 'two min limits'],
    ['basic=0/min', 'at least 1'],
    ['basic=5/fortnight', 'unit must be'],
    ['basic=5/2month', 'one calendar month'],
    ['basic', 'is not <package>=<limit>'],
    ['basic=five/min', 'is not <count>/<window>'],
  ])('refuses %s', (raw, message) => {
    expect(parsePackageLimits(raw, PACKAGES)).toEqual(expect.stringContaining(message));
  });

  it('stops start-up with one line naming the variable', () => {
    expect(() => loadConfig({ PACKAGE_LIMITS: 'gold=5/min' })).toThrow(
      /^PACKAGE_LIMITS must be <package>=<count>\/<window>\[\+…\], comma-separated: "gold" is not a package/,
    );
  });

  it('puts a moment in fixed windows from the epoch, or in its UTC calendar month', () => {
    const at = Date.UTC(2026, 1, 14, 10, 30, 45, 500);
    expect(windowAt({ kind: 'fixed', ms: 60_000 }, at)).toEqual({
      id: String(Date.UTC(2026, 1, 14, 10, 30)),
      start: Date.UTC(2026, 1, 14, 10, 30),
      end: Date.UTC(2026, 1, 14, 10, 31),
    });
    expect(windowAt({ kind: 'month' }, at)).toEqual({
      id: '2026-02',
      start: Date.UTC(2026, 1, 1),
      end: Date.UTC(2026, 2, 1),
    });
  });
});
