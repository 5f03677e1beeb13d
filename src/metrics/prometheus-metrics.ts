import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { Metrics, type CacheName, type GuardDecision, type StripeEventOutcome } from './metrics.js';

// Seconds. Most answers take well under a millisecond (cached guards) or a few (one DynamoDB read).
const HTTP_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DYNAMO_BUCKETS = [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

// An error's name becomes a label value: AWS's exception names are a short list, anything else is lumped.
const ERROR_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

type Observe = (seconds: number) => void;

/**
 * prom-client on a registry of this app's own (never the global default): several apps in one
 * process, as in the tests, count apart. Label children are kept once made, so a hot-path record is a
 * Map lookup and an addition.
 */
export class PrometheusMetrics extends Metrics {
  readonly enabled = true;
  readonly registry = new Registry();
  private readonly httpDuration = new Histogram({
    name: 'packgate_http_request_duration_seconds',
    help: 'HTTP requests answered, by method, route pattern and status, with their duration.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });
  private readonly guardDecisions = new Counter({
    name: 'packgate_guard_decisions_total',
    help: 'PaymentGuard decisions on @RequiresPackage routes: allowed, payment_required (402), unavailable (503).',
    labelNames: ['decision'] as const,
    registers: [this.registry],
  });
  private readonly cacheLookups = new Counter({
    name: 'packgate_cache_lookups_total',
    help: 'Lookups of the guards in the token and entitlement caches, by result (hit or miss).',
    labelNames: ['cache', 'result'] as const,
    registers: [this.registry],
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
  private readonly requestObservers = new Map<string, Observe>();
  private readonly guardCounters = new Map<GuardDecision, () => void>();
  private readonly cacheCounters = new Map<string, () => void>();

  constructor() {
    super();
    collectDefaultMetrics({ register: this.registry });
  }

  requestAnswered(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let observe = this.requestObservers.get(key);
    if (observe === undefined) {
      const child = this.httpDuration.labels(method, route, String(status));
      observe = (value) => child.observe(value);
      this.requestObservers.set(key, observe);
    }
    observe(seconds);
  }

  guardDecided(decision: GuardDecision): void {
    let inc = this.guardCounters.get(decision);
    if (inc === undefined) {
      const child = this.guardDecisions.labels(decision);
      inc = () => child.inc();
      this.guardCounters.set(decision, inc);
    }
    inc();
  }

  cacheLookedUp(cache: CacheName, hit: boolean): void {
    const key = hit ? `${cache} hit` : `${cache} miss`;
    let inc = this.cacheCounters.get(key);
    if (inc === undefined) {
      const child = this.cacheLookups.labels(cache, hit ? 'hit' : 'miss');
      inc = () => child.inc();
      this.cacheCounters.set(key, inc);
    }
    inc();
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
