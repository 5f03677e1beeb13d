import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { writeAccessLine } from '../logging/access-log.js';
import { recordRequest } from '../metrics/http-metrics.js';
import type { Metrics } from '../metrics/metrics.js';

/**
 * Fastify's log controller: Fastify calls `requestCompleted` once per answered request, with no hook
 * to run, so the access line and the request metrics cost nothing more than their own work. Fastify's
 * own request lines (`incoming request`, `Route GET:/… not found`, which quote the raw URL) stay off.
 */
export class RequestObserver extends LogController {
  constructor(
    private readonly accessLog: boolean,
    private readonly metrics: Metrics,
  ) {
    super({ requestIdLogLabel: 'requestId', disableRequestLogging: true });
  }

  override requestCompleted(_error: unknown, request: FastifyRequest, reply: FastifyReply): void {
    if (this.metrics.enabled) recordRequest(this.metrics, request, reply);
    if (this.accessLog) writeAccessLine(request, reply);
  }
}
