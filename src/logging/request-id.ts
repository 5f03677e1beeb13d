import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import { requestContext, TRACKS_REQUEST_CONTEXT } from './request-context.js';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

// What proxies and tracers send (UUIDs, ULIDs, hex, `Root=1-…`), bounded so a client cannot flood the
// logs or smuggle a line break or a quote into them through this header.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:=+/-]{1,128}$/;

/** The caller's (or the proxy's) X-Request-Id when it is a sane token; a new UUID otherwise. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Fastify's request ids come from {@link requestIdOf} alone. */
export const REQUEST_ID_OPTIONS = {
  genReqId: requestIdOf,
  requestIdHeader: false,
} satisfies FastifyServerOptions;

/**
 * Every answer that goes through Fastify's hooks names its request id, error answers included; where
 * {@link TRACKS_REQUEST_CONTEXT}, the rest of the request runs in {@link requestContext}, so the log
 * lines it writes name it too.
 */
export function echoRequestIds(fastify: FastifyInstance): void {
  if (TRACKS_REQUEST_CONTEXT) {
    fastify.addHook('onRequest', (request, reply, done) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      requestContext.run({ requestId: request.id }, done);
    });
  } else {
    fastify.addHook('onRequest', (request, reply, done) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      done();
    });
  }
}
