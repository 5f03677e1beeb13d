import type { FastifyHttpOptions, FastifyReply, FastifyServerOptions } from 'fastify';
import type { Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { frameworkErrorBody, type ErrorBody } from '../common/http-error.filter.js';
import type { HttpConfig } from '../config/app-config.js';
import { REQUEST_ID_HEADER } from '../logging/request-id.js';
import { SECURITY_HEADERS } from './security-headers.js';

/** The methods packgate's routes can answer; anything else is 405 before routing. */
export const SERVED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Any valid email (at most 320 characters) fits in a path parameter such as /admin/users/:email. */
const MAX_PARAM_LENGTH = 320;

// Node checks request and header deadlines on this interval (30 s by default): a slow client is cut
// at most this long after HTTP_REQUEST_TIMEOUT_MS, so the defaults (9 s + 1 s) cut it within 10 s.
const DEADLINE_CHECK_INTERVAL_MS = 1000;

/** The Fastify options that decide how clients are treated: timeouts, sizes, proxies, framing errors. */
export function httpServerOptions(http: HttpConfig): FastifyHttpOptions<Server> {
  return {
    trustProxy: trustProxyOption(http.trustProxy),
    requestTimeout: http.requestTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    connectionTimeout: http.connectionTimeoutMs,
    bodyLimit: http.bodyLimitBytes,
    http: {
      maxHeaderSize: http.maxHeaderBytes,
      headersTimeout: http.requestTimeoutMs,
      connectionsCheckingInterval: DEADLINE_CHECK_INTERVAL_MS,
    },
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // A shutdown answers in the one error shape, from the moment it starts: see graceful-shutdown.ts.
    return503OnClosing: false,
    clientErrorHandler: answerClientError,
    // The router refuses a malformed URL or an over-long parameter before any hook or error handler
    // of Nest runs; Fastify's own answer would quote the path.
    frameworkErrors: (error, request, reply) => {
      const body = frameworkErrorBody(error.code);
      void (reply as FastifyReply)
        .code(body.statusCode)
        .headers(PLAIN_ERROR_HEADERS)
        .header(REQUEST_ID_HEADER, request.id)
        .send(body);
    },
  };
}

// Fastify (5.12) trusts nobody for a bare hop count, since it cannot tell who the nearest peer is;
// TRUST_PROXY=<n> asks for exactly that trust, so it is spelled out as a function.
function trustProxyOption(trust: HttpConfig['trustProxy']): FastifyServerOptions['trustProxy'] {
  if (typeof trust !== 'number') return trust;
  return (_address: string, hop: number) => hop < trust;
}

/**
 * Node's parser refused the bytes (bad framing, headers too large, a method it does not know) or the
 * client was too slow: answer in the one error shape, naming nothing the client sent, and hang up.
 */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) socket.write(rawResponse(frameworkErrorBody(error.code)));
  socket.destroy();
}

/** CONNECT never reaches Fastify's router; without this Node drops the socket without a word. */
export function answerConnectRequests(server: Server): void {
  server.on('connect', (_request, socket: Duplex) => {
    socket.end(rawResponse(frameworkErrorBody('HPE_INVALID_METHOD')), () => socket.destroy());
  });
}

/** An error answered outside Fastify's hooks carries the security headers all the same. */
const PLAIN_ERROR_HEADERS = SECURITY_HEADERS;

function rawResponse(body: ErrorBody): string {
  const json = JSON.stringify(body);
  const headers = [
    `HTTP/1.1 ${body.statusCode} ${STATUS_CODES[body.statusCode]}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(json)}`,
    ...Object.entries(PLAIN_ERROR_HEADERS).map(([name, value]) => `${name}: ${value}`),
    ...(body.statusCode === 405 ? [`Allow: ${SERVED_METHODS.join(', ')}`] : []),
    'Connection: close',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${json}`;
}
