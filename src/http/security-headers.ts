import type { NestFastifyApplication } from '@nestjs/platform-fastify';

// HSTS is sent only over TLS (as seen through TRUST_PROXY): over plain HTTP a browser ignores it, and
// a development server on http://localhost must not pin the name to https.
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * The security headers of a JSON API, as OWASP's REST Security Cheat Sheet lists them: an answer may
 * load nothing and be framed by no one, is never sniffed as another type, leaks no referrer, is not
 * readable by other sites' pages, and is never stored (`Cache-Control: no-store`, answers to
 * authenticated callers above all). helmet's page-oriented extras (COOP, Origin-Agent-Cluster, DNS
 * prefetch, IE and Flash headers) are left out: every header is built and validated by Node on every
 * answer, and `@fastify/helmet`'s full set, recomputed per request, doubled a public route's CPU
 * (19 → 40 µs in `npm run bench`). A route that needs other values (a page's CSP, a cacheable answer)
 * sets them in its handler, which runs later and wins.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
});

/** Sets the security headers on every answer, HSTS when the request came over TLS. */
export function registerSecurityHeaders(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      reply.headers(SECURITY_HEADERS);
      if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
      done();
    });
}
