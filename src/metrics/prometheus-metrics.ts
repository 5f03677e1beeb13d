import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { Metrics, type CacheName, type GuardDecision, type StripeEventOutcome } from './metrics.js';
import { RequestDurationHistogram } from './request-histogram.js';

// Seconds. Most answers take well under a millisecond (cached guards) or a few (one DynamoDB read).
const HTTP_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DYNAMO_BUCKETS = [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

// An error's name becomes a label value: AWS's exception names are a short list, anything else is lumped.
const ERROR_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/**
 * prom-client on a registry of this app's own (never the global default): several apps in one
 * process, as in the tests, count apart. On the hot path (every request, every guard) a record is a
 * Map lookup or a field and an addition: prom-client's labelled `observe`/`inc` validate and hash the
 * labels on every call (0.4-0.9 µs each, measured), so the guard and cache counts are plain numbers
 * handed to prom-client when Prometheus scrapes, and the request histogram is kept by hand.
 */
export class PrometheusMetrics extends Metrics {
  readonly enabled = true;
  readonly registry = new Registry();
  private readonly guardCounts: Record<GuardDecision, number> = {
    allowed: 0,
    payment_required: 0,
    unavailable: 0,
  };
  private readonly cacheCounts = { token: { hit: 0, miss: 0 }, entitlement: { hit: 0, miss: 0 } };
  private readonly httpDuration = new RequestDurationHistogram(
    'packgate_http_request_duration_seconds',
    'HTTP requests answered, by method, route pattern and status, with their duration.',
    HTTP_BUCKETS,
    this.registry,
  );
  private readonly guardDecisions = new Counter({
    name: 'packgate_guard_decisions_total',
    help: 'PaymentGuard decisions on @RequiresPackage routes: allowed, payment_required (402), unavailable (503).',
    labelNames: ['decision'] as const,
    registers: [this.registry],
    collect: () => {
      this.guardDecisions.reset();
      for (const [decision, count] of Object.entries(this.guardCounts)) {
        this.guardDecisions.inc({ decision }, count);
      }
    },
  });
  private readonly cacheLookups = new Counter({
    name: 'packgate_cache_lookups_total',
    help: 'Lookups of the guards in the token and entitlement caches, by result (hit or miss).',
    labelNames: ['cache', 'result'] as const,
    registers: [this.registry],
    collect: () => {
      this.cacheLookups.reset();
      for (const [cache, { hit, miss }] of Object.entries(this.cacheCounts)) {
        this.cacheLookups.inc({ cache, result: 'hit' }, hit);
        this.cacheLookups.inc({ cache, result: 'miss' }, miss);
      }
    },
  });
  private readonly dynamoDuration = new Histogram({
    name: 'packgate_dynamodb_request_duration_seconds',
    help: 'DynamoDB calls by operation (retries included), with their duration.',
    labelNames: ['operation'] as const,
    buckets: DYNAMO_BUCKETS,
    registers: [this.registry],
  });
  private readonly dynamoErrors = new Counter({
    name: 'packgate_dynamodb_errors_total',
    help: 'DynamoDB calls that failed after the retries, by operation and error name.',
    labelNames: ['operation', 'error'] as const,
    registers: [this.registry],
  });
  private readonly stripeEvents = new Counter({
    name: 'packgate_stripe_events_total',
    help: 'Verified Stripe events (webhooks and reconciliation) by type and outcome.',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    super();
    collectDefaultMetrics({ register: this.registry });
  }

  requestAnswered(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe(method, route, status, seconds);
  }

  guardDecided(decision: GuardDecision): void {
    this.guardCounts[decision] += 1;
  }

  cacheLookedUp(cache: CacheName, hit: boolean): void {
    if (hit) this.cacheCounts[cache].hit += 1;
    else this.cacheCounts[cache].miss += 1;
  }

  dynamoCalled(operation: string, seconds: number, error?: unknown): void {
    this.dynamoDuration.labels(operation).observe(seconds);
    if (error !== undefined) this.dynamoErrors.labels(operation, errorName(error)).inc();
  }

  stripeEventProcessed(type: string, outcome: StripeEventOutcome): void {
    this.stripeEvents.labels(type, outcome).inc();
  }

  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}

function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && ERROR_NAME.test(name) ? name : 'Error';
}
