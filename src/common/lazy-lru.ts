import { LRUCache } from 'lru-cache';

/**
 * An LRUCache made on first use. lru-cache allocates its arrays for `max` entries up front (about
 * 15 ms for 100 000 on this machine, plus the collector's work): a cold start (a Lambda container, a
 * fresh instance) should not pay that for caches its first requests may never touch.
 */
// lru-cache's own bounds: any non-nullish key and value.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export function lazyLru<K extends {}, V extends {}, FC = unknown>(
  options: LRUCache.Options<K, V, FC>,
): () => LRUCache<K, V, FC> {
  let cache: LRUCache<K, V, FC> | undefined;
  return () => (cache ??= new LRUCache(options));
}
