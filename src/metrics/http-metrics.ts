import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.js';

/** Requests that matched no route share one label value: a scan of random paths adds no series. */
const UNMATCHED = 'unmatched';

/** Every answered request lands in the duration histogram by method, route pattern and status. */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: Metrics): void {
  if (!metrics.enabled) return;
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED;
    metrics.requestAnswered(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
