import { describe, expect, it } from '@jest/globals';
import { API_KEY_PREFIX, generateApiKey, hashApiKey, isWellFormedApiKey, shownPrefixOf } from './api-key.js';

describe('API key format', () => {
  it('makes distinct, well-formed keys with the pgk_ prefix', () => {
    const keys = Array.from({ length: 200 }, generateApiKey);
    expect(new Set(keys).size).toBe(200);
    for (const key of keys) {
      expect(key).toMatch(/^pgk_[0-9A-Za-z]{46}$/);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
  });

  it('refuses a key with any one character changed, truncated or extended, by its checksum or shape', () => {
    const key = generateApiKey();
    const body = key.slice(API_KEY_PREFIX.length);
    for (let i = 0; i < body.length; i++) {
      const swapped = body[i] === 'a' ? 'b' : 'a';
      const typo = API_KEY_PREFIX + body.slice(0, i) + swapped + body.slice(i + 1);
      expect(isWellFormedApiKey(typo)).toBe(false);
    }
    expect(isWellFormedApiKey(key.slice(0, -1))).toBe(false);
    expect(isWellFormedApiKey(`${key}0`)).toBe(false);
    expect(isWellFormedApiKey(`pgx_${body}`)).toBe(false);
  });

  it('stores a SHA-256 hex digest and shows only the first 12 characters', () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key)).not.toContain(key.slice(4, 12));
    expect(shownPrefixOf(key)).toBe(key.slice(0, 12));
  });
});
