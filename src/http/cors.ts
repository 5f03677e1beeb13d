import type { FastifyCorsOptions } from '@fastify/cors';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { CorsConfig } from '../config/app-config.js';

/** Called server to server only: a browser is never allowed to call them cross-origin. */
const NEVER_CROSS_ORIGIN = new Set(['/payments/stripe/webhook', '/metrics']);

/**
 * Browser front ends on CORS_ORIGINS may call the API: preflights are answered (and cached for
 * CORS_MAX_AGE_S), bearer tokens go in Authorization, so no credentials mode. A request from any other
 * origin, or to a server-to-server route, gets no CORS header at all (its preflight is a 404).
 */
export function enableCors(app: NestFastifyApplication, cors: CorsConfig): void {
  if (cors.origins.length === 0) return;
  const allowed = new Set(cors.origins);
  const options: FastifyCorsOptions = {
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    exposedHeaders: ['Retry-After', 'WWW-Authenticate', 'RateLimit', 'RateLimit-Policy', 'X-Request-Id'],
    credentials: false,
    maxAge: cors.maxAgeS,
    strictPreflight: false,
  };
  app.enableCors({
    // Decided per request: @fastify/cors answers a preflight from an unlisted origin with its
    // Allow-* headers, and routes a preflight by path alone.
    delegator: (request, callback) => {
      const origin = request.headers.origin;
      const answer = origin !== undefined && allowed.has(origin) && !serverToServer(request);
      callback(null, answer ? { ...options, origin } : { origin: false });
    },
  });
}

// By the route when one matched, and by the path as sent: a preflight matches @fastify/cors's `*` route.
// By the end of the path, so a global prefix an app sets (`/api/payments/stripe/webhook`) changes nothing.
function serverToServer(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0].toLowerCase().replace(/\/+$/, '');
  const route = request.routeOptions.url ?? '';
  for (const never of NEVER_CROSS_ORIGIN) if (path.endsWith(never) || route.endsWith(never)) return true;
  return false;
}
