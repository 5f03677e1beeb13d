import type { LRUCache } from 'lru-cache';
import { lazyLru } from '../common/lazy-lru.js';
import type { FailureLimit } from '../config/http-settings.js';
import { clientKey } from './client-address.js';
import type { RateLimitStatus } from './rate-limit-headers.js';

/** Addresses tracked per limit: the oldest are forgotten beyond this, so memory stays bounded. */
export const MAX_TRACKED_ADDRESSES = 50_000;

interface FailureWindow {
  failures: number;
  resetsAt: number;
}

/**
 * Counts failures (refused tokens, bad webhook signatures) per client address in a fixed window that
 * starts at the address's first failure. Only failures are counted and only failures consult it, so a
 * caller that succeeds never waits on it, whoever else shares its address.
 */
export class FailureLimiter {
  private readonly windows: (() => LRUCache<string, FailureWindow>) | null;

  constructor(
    private readonly policy: string,
    private readonly rule: FailureLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.windows = rule ? lazyLru({ max: MAX_TRACKED_ADDRESSES }) : null;
  }

  /**
   * Counts one failure from `ip` (the client address Fastify derived, TRUST_PROXY applied). Returns
   * the status to answer 429 with once the address is over its limit; null while it is within it.
   */
  recordFailure(ip: string): RateLimitStatus | null {
    if (!this.rule || !this.windows) return null;
    const key = clientKey(ip);
    const now = this.now();
    let window = this.windows().get(key);
    if (!window || window.resetsAt <= now) {
      window = { failures: 0, resetsAt: now + this.rule.windowS * 1000 };
      this.windows().set(key, window);
    }
    window.failures += 1;
    if (window.failures <= this.rule.limit) return null;
    return {
      policy: this.policy,
      quota: this.rule.limit,
      windowS: this.rule.windowS,
      remaining: 0,
      resetS: Math.max(1, Math.ceil((window.resetsAt - now) / 1000)),
    };
  }
}
