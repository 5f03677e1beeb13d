import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { DOCS_CONTENT_SECURITY_POLICY } from '../http/page-security.js';

const SWAGGER_UI = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
/** The two files of swagger-ui-dist the page loads; the rest of the folder (its demo page) is not served. */
const SWAGGER_UI_FILES = new Set(['/swagger-ui.css', '/swagger-ui-bundle.js']);

// No inline script or style, so the page's CSP needs neither 'unsafe-inline' nor a nonce.
const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>packgate API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-ui-start.js"></script>
</body>
</html>
`;

const START_SCRIPT = `window.ui = SwaggerUIBundle({
  url: '/docs/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;

/**
 * Swagger UI at /docs and the OpenAPI document at /docs/openapi.json. The document is built on the
 * first request, from the app's routes: @nestjs/swagger costs ~270 ms of CPU to load, which start-up
 * does not pay.
 */
export async function serveApiDocs(app: NestFastifyApplication): Promise<void> {
  let document: Promise<string> | undefined;
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/docs/openapi.json', async (_request, reply) => {
    document ??= import('./openapi.document.js')
      .then(({ buildOpenApiDocument }) => JSON.stringify(buildOpenApiDocument(app)))
      .catch((error: unknown) => {
        document = undefined; // the next request tries again
        throw error;
      });
    return reply.type('application/json; charset=utf-8').send(await document);
  });
  fastify.get('/docs', (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', DOCS_CONTENT_SECURITY_POLICY)
      .send(DOCS_PAGE),
  );
  fastify.get('/docs/swagger-ui-start.js', (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send(START_SCRIPT),
  );
  await app.register(fastifyStatic, {
    root: SWAGGER_UI,
    prefix: '/docs/assets/',
    decorateReply: false,
    index: false,
    allowedPath: (path) => SWAGGER_UI_FILES.has(path),
    // Revalidated by ETag: a 304 instead of 1.5 MB, and a new version after an upgrade.
    cacheControl: false,
    setHeaders: (reply) => reply.header('cache-control', 'no-cache'),
  });
}
