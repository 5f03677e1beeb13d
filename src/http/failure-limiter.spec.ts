import { describe, expect, it } from '@jest/globals';
import { clientKey } from './client-address.js';
import { FailureLimiter, MAX_TRACKED_ADDRESSES } from './failure-limiter.js';

function limiterAt(rule: { limit: number; windowS: number } | null) {
  const clock = { now: 1_000_000 };
  return { clock, limiter: new FailureLimiter('failed-auth', rule, () => clock.now) };
}

const failTimes = (limiter: FailureLimiter, ip: string, times: number) =>
  Array.from({ length: times }, () => limiter.recordFailure(ip));

describe('FailureLimiter', () => {
  it('lets `limit` failures through in a window and refuses the next, saying when the window resets', () => {
    const { clock, limiter } = limiterAt({ limit: 3, windowS: 60 });
    expect(failTimes(limiter, '198.51.100.1', 3)).toEqual([null, null, null]);
    clock.now += 22_500;
    expect(limiter.recordFailure('198.51.100.1')).toEqual({
      policy: 'failed-auth',
      quota: 3,
      windowS: 60,
      remaining: 0,
      resetS: 38,
    });
  });

  it('starts a new window once the old one has passed', () => {
    const { clock, limiter } = limiterAt({ limit: 1, windowS: 10 });
    expect(failTimes(limiter, '198.51.100.1', 2)[1]).not.toBeNull();
    clock.now += 10_000;
    expect(limiter.recordFailure('198.51.100.1')).toBeNull();
  });

  it('counts nothing when the limit is off', () => {
    const { limiter } = limiterAt(null);
    expect(failTimes(limiter, '198.51.100.1', 1000).every((verdict) => verdict === null)).toBe(true);
  });

  it(`keeps at most ${MAX_TRACKED_ADDRESSES} addresses, forgetting the least recently failing`, () => {
    const { limiter } = limiterAt({ limit: 1, windowS: 60 });
    limiter.recordFailure('198.51.100.1');
    for (let n = 0; n < MAX_TRACKED_ADDRESSES; n++)
      limiter.recordFailure(`10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`);
    // Forgotten, so its next failure is the first of a new window.
    expect(limiter.recordFailure('198.51.100.1')).toBeNull();
  });
});

describe('clientKey', () => {
  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['64:ff9b::198.51.100.7', '64:ff9b:0:0::/64'],
  ])('%s counts as %s', (ip, key) => {
    expect(clientKey(ip)).toBe(key);
  });
});
