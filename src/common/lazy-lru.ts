import { LRUCache } from 'lru-cache';

/** An LRUCache made on first call; `made()` gives it without making it (undefined until then). */
// lru-cache's own bounds: any non-nullish key and value.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LazyLru<K extends {}, V extends {}, FC = unknown> {
  (): LRUCache<K, V, FC>;
  made(): LRUCache<K, V, FC> | undefined;
}

/**
 * An LRUCache made on first use. lru-cache allocates its arrays for `max` entries up front (about
 * 15 ms for 100 000 on this machine, plus the collector's work): a cold start (a Lambda container, a
 * fresh instance) should not pay that for caches its first requests may never touch.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export function lazyLru<K extends {}, V extends {}, FC = unknown>(
  options: LRUCache.Options<K, V, FC>,
): LazyLru<K, V, FC> {
  let cache: LRUCache<K, V, FC> | undefined;
  return Object.assign(() => (cache ??= new LRUCache(options)), { made: () => cache });
}
