import type { FastifyReply } from 'fastify';
import type { Metrics } from './metrics.js';

/** Requests that matched no route share one label value: a scan of random paths adds no series. */
const UNMATCHED = 'unmatched';

/** An answered request, in the duration histogram by method, route pattern and status. */
export function recordRequest(
  metrics: Metrics,
  method: string,
  route: string | null,
  reply: FastifyReply,
): void {
  metrics.requestAnswered(method, route ?? UNMATCHED, reply.statusCode, reply.elapsedTime / 1000);
}
