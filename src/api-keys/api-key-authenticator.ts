import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { LRUCache } from 'lru-cache';
import { lazyLru } from '../common/lazy-lru.js';
import { AuthenticationError } from '../auth/authentication.error.js';
import type { Identity } from '../auth/current-identity.decorator.js';
import type { AppConfig } from '../config/app-config.js';
import { hashApiKey, isWellFormedApiKey } from './api-key.js';
import { ApiKeysRepository, type ApiKeyOwner } from './api-keys.repository.js';

/** A key looked up and not found (never issued, or revoked): remembered too, so a flood of wrong keys stays in memory. */
const UNKNOWN = 'unknown' as const;
type Known = { owner: ApiKeyOwner; identity: Identity; touchedAt: number } | typeof UNKNOWN;

const LAST_USED_EVERY_MS = 60_000;

/**
 * Turns an API key into the identity of its owner. Lookups (hits and misses) are remembered by key
 * hash for API_KEY_CACHE_TTL_MS: a key revoked on another instance stops working here within that time;
 * on the instance that revoked it, at once. `lastUsedAt` is written at most once a minute per key, after
 * the answer, never on the request's path.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly logger = new Logger(ApiKeyAuthenticator.name);
  /**
   * By the key's text, in memory only (as verified tokens are): a remembered key costs one map lookup,
   * no hashing. DynamoDB and logs only ever see the hash.
   */
  private readonly known: (() => LRUCache<string, Known>) | null;
  /** When keys are not remembered (API_KEY_CACHE_TTL_MS=0), when each was last recorded as used. */
  private readonly recentlyTouched: () => LRUCache<string, true>;
  /** `lastUsedAt` writes under way, so a Lambda can let them finish before its process is frozen. */
  private readonly touching = new Set<Promise<void>>();
  /** Lookups under way, by the key's text: concurrent first uses of a key share one read. */
  private readonly lookups = new Map<string, Promise<Known>>();

  constructor(
    private readonly keys: ApiKeysRepository,
    config: ConfigService<AppConfig, true>,
  ) {
    const { cacheTtlMs, cacheMax } = config.get('apiKeys', { infer: true });
    this.known = cacheTtlMs > 0 ? lazyLru({ max: cacheMax, ttl: cacheTtlMs }) : null;
    this.recentlyTouched = lazyLru({ max: cacheMax, ttl: LAST_USED_EVERY_MS });
  }

  /** The owner's identity when this key was looked up recently; undefined when it must be looked up. */
  remembered(key: string): Identity | undefined {
    const known = this.known?.().get(key);
    return known === undefined ? undefined : this.admit(known);
  }

  async authenticate(key: string): Promise<Identity> {
    if (!isWellFormedApiKey(key)) throw new AuthenticationError('The API key is not valid.');
    const cached = this.known?.().get(key);
    if (cached !== undefined) return this.admit(cached);
    return this.admit(await this.lookUp(key));
  }

  /**
   * One read for all the requests that bring a key this instance does not remember: a client opening
   * many connections at once would otherwise send as many reads, and as many `lastUsedAt` writes.
   */
  private lookUp(key: string): Promise<Known> {
    let lookup = this.lookups.get(key);
    if (lookup) return lookup;
    lookup = this.keys
      .findByHash(hashApiKey(key))
      .then((owner) => {
        const known: Known = owner
          ? { owner, identity: { email: owner.email, apiKeyId: owner.id }, touchedAt: 0 }
          : UNKNOWN;
        this.known?.().set(key, known);
        return known;
      })
      .finally(() => this.lookups.delete(key));
    this.lookups.set(key, lookup);
    return lookup;
  }

  /** A key revoked here stops working here at once. */
  forget(hash: string): void {
    const known = this.known?.();
    if (!known) return;
    // Revocations are rare; a scan of what this instance remembers is cheaper than a second index.
    for (const [key, entry] of known.entries()) {
      if (entry !== UNKNOWN && entry.owner.hash === hash) known.delete(key);
    }
  }

  private admit(known: Known): Identity {
    if (known === UNKNOWN) throw new AuthenticationError('The API key is not valid.');
    this.noteUse(known);
    return known.identity;
  }

  private noteUse(known: Exclude<Known, typeof UNKNOWN>): void {
    const now = Date.now();
    if (this.known) {
      if (now - known.touchedAt < LAST_USED_EVERY_MS) return;
      known.touchedAt = now;
    } else {
      if (this.recentlyTouched().has(known.owner.id)) return;
      this.recentlyTouched().set(known.owner.id, true);
    }
    const { owner } = known;
    const touch = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.keys.touch(owner, new Date(now).toISOString()))
      .catch((error: unknown) => {
        // Only bookkeeping: the next use tries again.
        known.touchedAt = 0;
        this.recentlyTouched().delete(owner.id);
        this.logger.warn(`lastUsedAt of API key ${owner.id} not recorded: ${(error as Error).message}`);
      })
      .finally(() => this.touching.delete(touch));
    this.touching.add(touch);
  }

  /** Lets the `lastUsedAt` writes under way finish (a Lambda, before its process is frozen). */
  async settle(): Promise<void> {
    await Promise.all(this.touching);
  }
}
