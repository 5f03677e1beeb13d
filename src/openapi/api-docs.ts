import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DOCS_CONTENT_SECURITY_POLICY } from '../http/page-security.js';

/** The two files of swagger-ui-dist the page loads; the rest of the folder (its demo page) is not served. */
const SWAGGER_UI_FILES: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

interface Asset {
  body: Buffer;
  etag: string;
}

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
export function serveApiDocs(app: NestFastifyApplication): void {
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
  const assets = new Map<string, Promise<Asset>>();
  fastify.get<{ Params: { file: string } }>('/docs/assets/:file', async (request, reply) => {
    const { file } = request.params;
    if (!Object.hasOwn(SWAGGER_UI_FILES, file)) return reply.callNotFound();
    if (!assets.has(file))
      assets.set(
        file,
        readAsset(file).catch((error: unknown) => {
          assets.delete(file);
          throw error;
        }),
      );
    const asset = await assets.get(file)!;
    // Revalidated by ETag: a 304 instead of 1.5 MB, and the new files after an upgrade.
    reply.type(SWAGGER_UI_FILES[file]).header('cache-control', 'no-cache').header('etag', asset.etag);
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.send(asset.body);
  });
}

// Found and read on first use, and kept (1.7 MB): an app whose /docs nobody opens never reads them, and
// a bundle without node_modules (the Lambda's) starts all the same.
async function readAsset(file: string): Promise<Asset> {
  const swaggerUi = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const body = await readFile(join(swaggerUi, file));
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}
