import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { errorBody } from '../common/http-error.filter.js';

/** Set once a shutdown starts; every new request is refused from then on. */
export interface DrainState {
  draining: boolean;
}

// A socket whose last answer went out after the shutdown started is idle from then on; Node closes
// idle sockets only once, when the server stops listening, so the sweep repeats until all are gone.
const IDLE_SWEEP_MS = 100;

const SHUTTING_DOWN = errorBody(503, 'SERVICE.SHUTTING_DOWN', 'This instance is shutting down; try again.');

/**
 * While draining, any request that arrives (on a connection opened before: new ones are no longer
 * accepted) is answered 503 SERVICE.SHUTTING_DOWN with `Connection: close`; /health/ready included,
 * so a load balancer takes the instance out at once. Fastify's own 503 (`return503OnClosing`) is off
 * in http-server.options.ts: it carries no `code` and starts only once Nest closes the server.
 */
export function refuseRequestsWhileDraining(fastify: FastifyInstance, state: DrainState): void {
  fastify.addHook('onRequest', (_request, reply, done) => {
    if (!state.draining) {
      done();
      return;
    }
    void reply.code(503).headers({ connection: 'close', 'retry-after': '1' }).send(SHUTTING_DOWN);
  });
}

export interface StopOnSignalsOptions {
  graceMs: number;
  log: Logger;
}

/**
 * On SIGTERM, SIGINT or SIGHUP (a closed terminal): start draining, let the requests in flight finish
 * (a webhook's transaction is never cut halfway), close keep-alive connections as soon as they are
 * idle, then run Nest's shutdown hooks — DynamoDB Local, when embedded, stops last — and exit 0. Whatever is still running after
 * SHUTDOWN_GRACE_MS is cut and the process exits 1, before a platform's SIGKILL would. A second
 * signal (Ctrl-C twice) exits at once.
 */
export function stopOnSignals(
  app: NestFastifyApplication,
  state: DrainState,
  { graceMs, log }: StopOnSignalsOptions,
): void {
  const stop = (signal: NodeJS.Signals) => {
    if (state.draining) {
      log.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    state.draining = true;
    log.info(`${signal}: shutting down; requests in flight have ${graceMs} ms (SHUTDOWN_GRACE_MS) to finish`);
    const server = app.getHttpServer();
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    setTimeout(() => {
      log.error(`requests still in flight after SHUTDOWN_GRACE_MS (${graceMs} ms): exiting anyway`);
      process.exit(1);
    }, graceMs).unref();
    app.close().then(
      () => {
        clearInterval(sweep);
        log.info('shut down cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        log.error(`shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  // Any other signal that ends the process does so at once, as Node's default.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, stop);
}
