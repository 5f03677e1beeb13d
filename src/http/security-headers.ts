import fastifyHelmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

// HSTS is sent only over TLS (as seen through TRUST_PROXY): over plain HTTP a browser ignores it, and
// a development server on http://localhost must not pin the name to https.
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Security headers for a JSON API: helmet's defaults with a Content Security Policy that lets an
 * answer load nothing and be framed by no one. A page served later sets its own policy per route
 * (`@RouteConfig({ helmet: { contentSecurityPolicy: … } })`). Every answer is `Cache-Control: no-store`
 * (those to authenticated callers above all); a route that may be cached sets its own.
 */
export async function registerSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    strictTransportSecurity: false,
  });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      reply.header('cache-control', 'no-store');
      if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
      done();
    });
}
