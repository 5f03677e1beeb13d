import type { Email } from '../common/email.js';

/** A user's count in one window of one policy, shared by every instance. */
export interface WindowCounter {
  email: Email;
  policy: string;
  windowId: string;
  /** When the counter may be deleted (after its window ended). */
  windowEnd: number;
}

export interface LeaseResult {
  /** Requests this instance may now accept on its own: `wanted`, fewer near the limit, 0 at it. */
  granted: number;
  /** Requests leased by all instances in this window, this lease included. */
  leasedInWindow: number;
}

/** Shared counters of requests per user per window (DynamoDB: atomic, conditional, expiring). */
export abstract class UsageCounters {
  /**
   * Takes up to `wanted` of the window's `quota` for this instance, never letting the window's leases
   * pass the quota, and adds `used` (requests this instance accepted since it last reported).
   */
  abstract lease(counter: WindowCounter, quota: number, wanted: number, used: number): Promise<LeaseResult>;

  /** Requests reported as accepted in the window (all instances, up to their last lease). */
  abstract used(counter: WindowCounter): Promise<number>;
}
