/** How PaymentGuard decided a request to a @RequiresPackage route: 2xx, 402 or 503. */
export type GuardDecision = 'allowed' | 'payment_required' | 'unavailable';

/** What became of a verified Stripe event (`failed`: it threw, and its sender retries). */
export type StripeEventOutcome = 'applied' | 'duplicate' | 'ignored' | 'parked' | 'failed';

export type CacheName = 'token' | 'entitlement';

/**
 * What packgate counts, as the features see it: the DI token (`@Inject(Metrics)`). Without
 * METRICS_TOKEN or METRICS_PORT the app gets {@link NoMetrics}, which records nothing, and has no /metrics.
 */
export abstract class Metrics {
  /** False for {@link NoMetrics}: callers skip the work of measuring when nothing is recorded. */
  abstract readonly enabled: boolean;
  abstract requestAnswered(method: string, route: string, status: number, seconds: number): void;
  abstract guardDecided(decision: GuardDecision): void;
  abstract cacheLookedUp(cache: CacheName, hit: boolean): void;
  abstract dynamoCalled(operation: string, seconds: number, error?: unknown): void;
  abstract stripeEventProcessed(type: string, outcome: StripeEventOutcome): void;
  /** The Prometheus text exposition of everything recorded so far. */
  abstract exposition(): Promise<{ contentType: string; text: string }>;
}

/** Metrics turned off: every record is a no-op. */
export class NoMetrics extends Metrics {
  readonly enabled = false;
  requestAnswered(): void {}
  guardDecided(): void {}
  cacheLookedUp(): void {}
  dynamoCalled(): void {}
  stripeEventProcessed(): void {}
  exposition(): Promise<{ contentType: string; text: string }> {
    return Promise.reject(new Error('metrics are off (neither METRICS_TOKEN nor METRICS_PORT is set)'));
  }
}
