import { describe, expect, it } from '@jest/globals';
import { lazyLru } from './lazy-lru.js';

describe('lazyLru', () => {
  it('makes its cache on the first call, once', () => {
    const cache = lazyLru<string, number>({ max: 3 });
    expect(cache.made()).toBeUndefined();
    cache().set('a', 1);
    expect(cache.made()).toBe(cache());
    expect(cache().get('a')).toBe(1);
  });

  it('holds at most max entries, evicting the least recently used', () => {
    const evicted: string[] = [];
    const cache = lazyLru<string, number>({
      max: 3,
      dispose: (_value, key, reason) => {
        if (reason === 'evict') evicted.push(key);
      },
    });
    for (const key of ['a', 'b', 'c']) cache().set(key, 1);
    cache().get('a'); // now b is the least recently used
    cache().set('d', 1);
    cache().set('e', 1);
    expect(cache().size).toBe(3);
    expect([...cache().keys()].sort()).toEqual(['a', 'd', 'e']);
    expect(evicted).toEqual(['b', 'c']);
  });

  it('expires entries after ttl', () => {
    let now = 1_000;
    const cache = lazyLru<string, number>({ max: 10, ttl: 500, ttlResolution: 0, perf: { now: () => now } });
    cache().set('a', 1);
    now += 499;
    expect(cache().get('a')).toBe(1);
    now += 2;
    expect(cache().get('a')).toBeUndefined();
  });

  it('allocates for what it holds, not for max', () => {
    const before = process.memoryUsage().heapUsed;
    const cache = lazyLru<string, number>({ max: 2_000_000, ttl: 60_000 });
    cache().set('a', 1);
    // Arrays for 2 million entries up front would be over 40 MB.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(8 * 1024 * 1024);
    expect(cache().max).toBe(0);
    expect(cache().maxSize).toBe(2_000_000);
  });
});
