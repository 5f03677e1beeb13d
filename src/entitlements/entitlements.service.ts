import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { LRUCache } from 'lru-cache';
import { lazyLru } from '../common/lazy-lru.js';
import type { AppConfig } from '../config/app-config.js';
import type { Email } from '../common/email.js';
import { UserPackageChanges } from '../users/user-package-changes.js';
import { UsersRepository } from '../users/users.repository.js';
import { entitlement, type Entitlement } from './entitlement.js';

/**
 * Each caller's package, read from DynamoDB at most once per ENTITLEMENT_CACHE_TTL_MS per instance.
 * Concurrent misses for one user share a single read. A package change made through this instance
 * replaces the cached value at once; other instances see it when their entry expires.
 */
@Injectable()
export class EntitlementsService implements OnModuleDestroy {
  private readonly cache: (() => LRUCache<Email, Entitlement>) | null;
  private readonly unsubscribe: () => void;
  private readonly ttlMs: number;

  constructor(
    private readonly users: UsersRepository,
    changes: UserPackageChanges,
    config: ConfigService<AppConfig, true>,
  ) {
    const { ttlMs, maxEntries } = config.get('entitlementCache', { infer: true });
    this.ttlMs = ttlMs;
    this.cache =
      ttlMs > 0
        ? lazyLru<Email, Entitlement>({
            max: maxEntries,
            ttl: ttlMs,
            // A read that started before a change must not overwrite the changed value when it lands:
            // set() aborts the pending fetch; ignoring the abort lets its callers still get an answer.
            ignoreFetchAbort: true,
            fetchMethod: async (email, _stale, { options }) => {
              const { found, until } = await this.read(email);
              options.ttl = this.ttlUntil(until);
              return found;
            },
          })
        : null;
    this.unsubscribe = changes.subscribe(({ email, packageId, until, lapse }) => {
      if (packageId === null) this.cache?.().delete(email);
      else this.cache?.().set(email, entitlement(packageId, lapse), { ttl: this.ttlUntil(until ?? null) });
    });
  }

  /** The cached entitlement, if a fresh one is at hand: no promise on the hot path. */
  cachedEntitlementOf(email: Email): Entitlement | undefined {
    return this.cache?.().get(email);
  }

  /** The caller's package and subscription lapse; package 0 for an unknown user. Rejects when DynamoDB cannot be read. */
  async entitlementOf(email: Email): Promise<Entitlement> {
    return (await this.cache?.().fetch(email)) ?? (await this.read(email)).found;
  }

  /** The caller's package id; 0 for an unknown user. Rejects when DynamoDB cannot be read. */
  async packageOf(email: Email): Promise<number> {
    return (await this.entitlementOf(email)).packageId;
  }

  private async read(email: Email): Promise<{ found: Entitlement; until: number | null }> {
    const access = await this.users.getPackageAccess(email);
    return { found: entitlement(access.packageId, access.lapse), until: access.until };
  }

  // No entry outlives the moment its package lapses (a subscription's end of access).
  private ttlUntil(until: number | null): number {
    return until === null ? this.ttlMs : Math.max(1, Math.min(this.ttlMs, until - Date.now()));
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }
}
