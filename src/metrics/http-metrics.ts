import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from './metrics.js';

/** Requests that matched no route share one label value: a scan of random paths adds no series. */
const UNMATCHED = 'unmatched';

/** An answered request, in the duration histogram by method, route pattern and status. */
export function recordRequest(metrics: Metrics, request: FastifyRequest, reply: FastifyReply): void {
  const route = request.routeOptions.url ?? UNMATCHED;
  metrics.requestAnswered(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
}
