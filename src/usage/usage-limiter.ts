import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { lazyLru, type LazyLru } from '../common/lazy-lru.js';
import type { AppConfig } from '../config/app-config.js';
import type { Email } from '../common/email.js';
import { UsageCounters, type WindowCounter } from './usage-counters.js';
import { windowAt, type UsageLimit } from './usage-limit.js';

/** This instance's share of one user's window of one limit. */
interface WindowShare {
  readonly counter: WindowCounter;
  /** Leased here and not used yet. */
  available: number;
  /** Accepted here since the last report to the shared counter. */
  unreported: number;
  /** When the oldest of those was accepted. */
  unreportedSince: number;
  /** Accepted here in this window. */
  acceptedHere: number;
  /** Leased by all instances as of this instance's last lease. */
  leasedInWindow: number;
  /** What this instance asks for at a time; grows while leases are used up within a second. */
  leaseSize: number;
  /** When the last lease was asked for. */
  leasedAt: number;
  /** The shared counter has nothing left in this window. */
  exhausted: boolean;
  /** DynamoDB could not be reached: this window is counted here alone (see `failOpen`). */
  localOnly: boolean;
  refill: Promise<void> | null;
}

export interface LimitState {
  limit: UsageLimit;
  remaining: number;
  resetAt: number;
}

export type UsageDecision =
  { allowed: true; states: LimitState[] } | { allowed: false; states: LimitState[]; exceeded: LimitState };

/** How many requests an instance leases at first: 5 % of the quota, 1 to 1 000. */
export const leaseSizeOf = (quota: number) => Math.max(1, Math.min(1000, maxLeaseOf(quota)));

/** The most an instance ever leases at once: 5 % of the quota. */
const maxLeaseOf = (quota: number) => Math.max(1, Math.ceil(quota / 20));

/** A lease used up faster than this makes the next one twice as large (up to 5 % of the quota). */
const LEASE_GROWS_UNDER_MS = 1000;

/**
 * Per-user request limits shared by every instance through DynamoDB counters, without a write per
 * request: each instance leases part of a window's quota ahead of need (the next lease is asked for
 * when half a lease is left), so a request waits for DynamoDB only when this instance's lease is used
 * up — at the limit, or in a burst faster than a lease round trip. A lease starts at 5 % of the quota
 * (at most 1 000) and doubles while each is used up within a second, never past 5 % of the quota.
 * Leases never pass the quota, so across n instances a user gets between L − n·1.5·lease and L
 * requests in a window (lease ≤ 5 % of L).
 */
@Injectable()
export class UsageLimiter implements BeforeApplicationShutdown {
  private readonly logger = new Logger(UsageLimiter.name);
  private readonly shares: LazyLru<Email, Map<string, WindowShare>>;

  constructor(
    private readonly counters: UsageCounters,
    config: ConfigService<AppConfig, true>,
  ) {
    this.shares = lazyLru({
      max: config.get('entitlementCache', { infer: true }).maxEntries,
      dispose: (byPolicy, _key, reason) => {
        if (reason !== 'set') for (const share of byPolicy.values()) this.report(share);
      },
    });
  }

  /** Takes one request from every limit, or none when one of them is used up. */
  take(email: Email, limits: readonly UsageLimit[], now: number): UsageDecision | Promise<UsageDecision> {
    const shares: WindowShare[] = new Array(limits.length);
    let ready = true;
    for (let i = 0; i < limits.length; i++) {
      shares[i] = this.shareOf(email, limits[i], now);
      if (shares[i].available === 0) ready = false;
    }
    if (ready) return this.accept(limits, shares);
    return this.takeWhenLeased(limits, shares);
  }

  /** Requests accepted in the window, as far as the shared counter and this instance know. */
  async used(email: Email, limit: UsageLimit, now: number): Promise<LimitState & { used: number }> {
    const share = this.shareOf(email, limit, now);
    const used = (await this.counters.used(share.counter)) + share.unreported;
    return { ...this.stateOf(limit, share), used };
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.allShares().map((share) => this.report(share)));
  }

  /**
   * Before a Lambda's process is frozen: leases under way finish, and counts older than `maxAgeMs` are
   * reported (not every request's: that would be a write per request), so a frozen or reclaimed
   * container holds back at most that much of `used`.
   */
  async settle(maxAgeMs: number): Promise<void> {
    const now = Date.now();
    const work: Array<Promise<void>> = [];
    for (const share of this.allShares()) {
      if (share.refill) work.push(share.refill);
      else if (share.unreported > 0 && now - share.unreportedSince >= maxAgeMs) work.push(this.report(share));
    }
    await Promise.allSettled(work);
  }

  private allShares(): WindowShare[] {
    // Not made by asking: a Lambda settles after every invocation, counted or not (a /health).
    const shares = this.shares.made();
    return shares ? [...shares.values()].flatMap((byPolicy) => [...byPolicy.values()]) : [];
  }

  private async takeWhenLeased(limits: readonly UsageLimit[], shares: WindowShare[]): Promise<UsageDecision> {
    for (;;) {
      const empty = shares.findIndex((share) => share.available === 0);
      if (empty === -1) return this.accept(limits, shares);
      const share = shares[empty];
      if (share.exhausted) {
        const states = limits.map((limit, i) => this.stateOf(limit, shares[i]));
        return { allowed: false, states, exceeded: states[empty] };
      }
      await this.refill(share, limits[empty]);
    }
  }

  private accept(limits: readonly UsageLimit[], shares: WindowShare[]): UsageDecision {
    const states: LimitState[] = [];
    for (let i = 0; i < shares.length; i++) {
      const share = shares[i];
      share.available--;
      if (share.unreported++ === 0) share.unreportedSince = Date.now();
      share.acceptedHere++;
      if (share.available <= share.leaseSize >> 1 && !share.exhausted) void this.refill(share, limits[i]);
      states.push(this.stateOf(limits[i], share));
    }
    return { allowed: true, states };
  }

  private stateOf(limit: UsageLimit, share: WindowShare): LimitState {
    const remaining = share.localOnly
      ? share.available
      : limit.quota - share.leasedInWindow + share.available;
    return { limit, remaining, resetAt: share.counter.windowEnd };
  }

  private shareOf(email: Email, limit: UsageLimit, now: number): WindowShare {
    // By user, then by policy: no key string is built per request.
    let byPolicy = this.shares().get(email);
    if (!byPolicy) {
      byPolicy = new Map();
      this.shares().set(email, byPolicy);
    }
    const found = byPolicy.get(limit.policy);
    if (found && now < found.counter.windowEnd) return found;
    const window = windowAt(limit.window, now);
    const share: WindowShare = {
      counter: { email, policy: limit.policy, windowId: window.id, windowEnd: window.end },
      available: 0,
      unreported: 0,
      unreportedSince: 0,
      acceptedHere: 0,
      leasedInWindow: 0,
      // A busy user keeps the lease size it reached in the previous window.
      leaseSize: found?.leaseSize ?? leaseSizeOf(limit.quota),
      leasedAt: 0,
      exhausted: false,
      localOnly: false,
      refill: null,
    };
    if (found) this.report(found);
    byPolicy.set(limit.policy, share);
    return share;
  }

  private refill(share: WindowShare, limit: UsageLimit): Promise<void> {
    if (share.refill || share.localOnly) return share.refill ?? Promise.resolve();
    const reporting = share.unreported;
    const now = Date.now();
    if (share.leasedAt > 0 && now - share.leasedAt < LEASE_GROWS_UNDER_MS) {
      share.leaseSize = Math.min(share.leaseSize * 2, maxLeaseOf(limit.quota));
    }
    share.leasedAt = now;
    share.refill = this.counters
      .lease(share.counter, limit.quota, share.leaseSize, reporting)
      .then(
        ({ granted, leasedInWindow }) => {
          share.unreported -= reporting;
          share.available += granted;
          share.leasedInWindow = leasedInWindow;
          if (granted === 0) share.exhausted = true;
        },
        (error: unknown) => this.failOpen(share, limit, error),
      )
      .finally(() => {
        share.refill = null;
      });
    return share.refill;
  }

  /**
   * DynamoDB did not answer: availability over precision. For the rest of this window this instance
   * enforces the limit on its own (a user may get up to n·L across n instances); the next window asks
   * DynamoDB again. The package check itself still fails closed.
   */
  private failOpen(share: WindowShare, limit: UsageLimit, error: unknown): void {
    share.localOnly = true;
    share.available = Math.max(0, limit.quota - share.acceptedHere);
    share.exhausted = true; // once the local allowance is used up, the answer is 429
    this.logger.warn(
      `usage counters unavailable (${(error as Error).message}); counting ${limit.policy} here alone until the window ends`,
    );
  }

  /** Best effort: the requests accepted here and not yet reported, counted in the shared counter. */
  private report(share: WindowShare): Promise<void> {
    const unreported = share.unreported;
    if (unreported === 0 || share.localOnly) return Promise.resolve();
    share.unreported = 0;
    return this.counters.lease(share.counter, 0, 0, unreported).then(
      () => undefined,
      () => undefined,
    );
  }
}
