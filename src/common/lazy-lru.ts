import { LRUCache } from 'lru-cache';

/** An LRUCache made on first call; `made()` gives it without making it (undefined until then). */
// lru-cache's own bounds: any non-nullish key and value.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LazyLru<K extends {}, V extends {}, FC = unknown> {
  (): LRUCache<K, V, FC>;
  made(): LRUCache<K, V, FC> | undefined;
}

/**
 * An LRUCache of at most `max` entries, made on first use and growing with what it holds. Given `max`,
 * lru-cache allocates and fills its arrays for that many entries up front (10–15 ms for 100 000 on
 * this machine, on the first request of a fresh process, and a few MB per cache whether used or not);
 * the same bound as a `maxSize` of entries counted one each lets its arrays grow instead.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export function lazyLru<K extends {}, V extends {}, FC = unknown>(
  options: Omit<LRUCache.OptionsMaxLimit<K, V, FC>, 'maxSize' | 'sizeCalculation'>,
): LazyLru<K, V, FC> {
  const { max, ...rest } = options;
  const growing = { ...rest, maxSize: max, sizeCalculation: countOne } as LRUCache.Options<K, V, FC>;
  let cache: LRUCache<K, V, FC> | undefined;
  return Object.assign(() => (cache ??= new LRUCache(growing)), { made: () => cache });
}

const countOne = () => 1;
