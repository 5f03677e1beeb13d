import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import type { AuthenticatedRequest, Identity } from '../auth/current-identity.decorator.js';

// Only fast successful reads are sampled: errors, writes and slow answers are what support and
// security look for, so they always get a line.
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SLOW_MS = 1000;

/**
 * Which answered requests get an access line: every error (4xx, 5xx), every write, every answer slower
 * than a second, and of the fast successful reads a random `sampleRate` share. A line costs more CPU
 * than the rest of a cached request's observability (measured in `npm run bench`), and reads that
 * went well are what the metrics count anyway.
 */
export function accessLogFilter(
  sampleRate: number,
): (request: FastifyRequest, reply: FastifyReply) => boolean {
  if (sampleRate >= 1) return () => true;
  return (request, reply) =>
    reply.statusCode >= 400 ||
    !READS.has(request.method) ||
    reply.elapsedTime >= SLOW_MS ||
    Math.random() < sampleRate;
}

/**
 * The access line of an answered request, at level info, through the request's child of the app's
 * pino (so it carries `requestId`): method, route pattern (never the raw URL, which may hold an email
 * or a query), status, duration and the caller as a hash. Headers and bodies are never read here, so
 * no token, cookie, signature or API key can reach a log line.
 */
export function writeAccessLine(request: FastifyRequest, route: string | null, reply: FastifyReply): void {
  request.log.info(
    {
      method: request.method,
      route,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
      caller: callerOf(request),
    },
    'request',
  );
}

// The token cache hands out the same Identity for every request of a token: hashed once per token.
const hashes = new WeakMap<Identity, string>();

/**
 * A pseudonym of the caller's email: the same on every instance, so one caller's lines can be
 * followed, and an operator who knows an address finds its lines with `callerHash(address)`; the log
 * store itself never holds an address.
 */
function callerOf(request: FastifyRequest): string | undefined {
  const identity = (request as FastifyRequest & AuthenticatedRequest).identity;
  if (!identity) return undefined;
  let hash = hashes.get(identity);
  if (hash === undefined) {
    hash = callerHash(identity.email);
    hashes.set(identity, hash);
  }
  return hash;
}

/** The `caller` of an email's access log lines: 16 hex digits of SHA-256 over the canonical address. */
export function callerHash(email: string): string {
  return createHash('sha256').update(email).digest('hex').slice(0, 16);
}
