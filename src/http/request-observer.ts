import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { accessLogFilter, writeAccessLine } from '../logging/access-log.js';
import { recordRequest } from '../metrics/http-metrics.js';
import type { Metrics } from '../metrics/metrics.js';

/**
 * Fastify's log controller: Fastify calls `requestCompleted` once per answered request, with no hook
 * to run, so the access line and the request metrics cost nothing more than their own work. Fastify's
 * own request lines (`incoming request`, `Route GET:/… not found`, which quote the raw URL) stay off.
 */
export class RequestObserver extends LogController {
  private readonly logs: ((request: FastifyRequest, reply: FastifyReply) => boolean) | null;

  /** `accessLog`: null for no access lines; else the share of fast successful reads that get one. */
  constructor(
    accessLog: { sampleRate: number } | null,
    private readonly metrics: Metrics,
  ) {
    super({ requestIdLogLabel: 'requestId', disableRequestLogging: true });
    this.logs = accessLog ? accessLogFilter(accessLog.sampleRate) : null;
  }

  override requestCompleted(_error: unknown, request: FastifyRequest, reply: FastifyReply): void {
    const logs = this.logs?.(request, reply) ?? false;
    if (!this.metrics.enabled && !logs) return;
    // Fastify builds routeOptions anew on every read: read it once.
    const route = request.routeOptions.url ?? null;
    if (this.metrics.enabled) recordRequest(this.metrics, request.method, route, reply);
    if (logs) writeAccessLine(request, route, reply);
  }
}
