import { describe, expect, it } from '@jest/globals';
import { Controller, Get, Post } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { z } from 'zod';
import { ValidBody } from '../../src/index.js';
import { errorBodySchema } from '../../src/common/error-body.js';
import { PACKAGE_INFO } from '../../src/common/package-info.js';
import { packageRequiredBodySchema } from '../../src/entitlements/package-required.error.js';
import { createTestApp, useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';
import {
  apiRoutes,
  documentedRoutes,
  RECORDED_ROUTES,
  RouteRecorderModule,
  type RecordedRoute,
} from '../support/route-recorder.js';

interface Operation {
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  parameters?: Array<{ name: string; in: string }>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
  security: unknown[];
}

const noteBody = z.strictObject({ text: z.string().min(1).max(280) });

/** A consumer's routes: one validated through packgate's export, one kept out of the document on purpose. */
@Controller('notes')
class NotesController {
  @Post()
  add(@ValidBody(noteBody, '{ "text": "<1-280 characters>" }') note: z.infer<typeof noteBody>) {
    return note;
  }

  @Get('hidden')
  @ApiExcludeEndpoint()
  hidden() {
    return {};
  }
}

describe('OpenAPI at /docs', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo, {}, [RouteRecorderModule]);
  const document = async () =>
    (await t.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json<Document>();

  it('documents every route Fastify registered, and only those', async () => {
    const registered = apiRoutes(t.app.get<RecordedRoute[]>(RECORDED_ROUTES));
    expect(registered).toContain('GET /content/pro');
    expect(registered).toContain('POST /payments/stripe/webhook');
    expect(registered).toContain('GET /checkout/success');
    expect(documentedRoutes(await document())).toEqual(registered);
  });

  it("documents a consumer's routes, and notices a registered route the document leaves out", async () => {
    const consumer = await createTestApp(dynamo, {}, [
      RouteRecorderModule,
      { module: class NotesModule {}, controllers: [NotesController] },
    ]);
    try {
      const registered = apiRoutes(consumer.app.get<RecordedRoute[]>(RECORDED_ROUTES));
      const doc = (await consumer.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json<Document>();
      const documented = documentedRoutes(doc);
      expect(registered.filter((route) => !documented.includes(route))).toEqual(['GET /notes/hidden']);
      expect(doc.paths['/notes'].post.requestBody?.content['application/json'].schema).toMatchObject({
        properties: { text: { type: 'string', minLength: 1, maxLength: 280 } },
      });
      const refused = await consumer.app.inject({
        method: 'POST',
        url: '/notes',
        headers: bearer(await devToken(uniqueEmail('notes'))),
        payload: { text: '' },
      });
      expect(refused.json()).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'REQUEST.INVALID',
        message: 'Send { "text": "<1-280 characters>" } and nothing else.',
        issues: [expect.stringMatching(/^text: /)],
      });
    } finally {
      await consumer.close();
    }
  });

  it("names the app, its version, bearer security and the public routes' exemption", async () => {
    const doc = await document();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info).toMatchObject({ title: PACKAGE_INFO.name, version: PACKAGE_INFO.version });
    expect(doc.components.securitySchemes.bearer).toEqual({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(doc.security).toEqual([{ bearer: [] }]);
    for (const path of ['/health', '/', '/checkout/success'])
      expect(doc.paths[path].get.security).toEqual([]);
    expect(doc.paths['/payments/stripe/webhook'].post.security).toEqual([]);
    expect(doc.paths['/content/free'].get.security).toBeUndefined();
    expect(Object.keys(doc.paths['/content/free'].get.responses)).toContain('401');
  });

  it('shows the body schemas the routes validate with, and a 400 where they refuse', async () => {
    const doc = await document();
    const checkout = doc.paths['/payments/checkout'].post;
    expect(checkout.requestBody?.content['application/json'].schema).toMatchObject({
      type: 'object',
      required: ['package'],
      additionalProperties: false,
    });
    expect(checkout.responses['400'].content?.['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ErrorBody',
    });
    const setPackage = doc.paths['/admin/users/{email}/package'].put;
    expect(setPackage.requestBody?.content['application/json'].schema).toMatchObject({
      required: ['package', 'reason'],
    });
    expect(Object.keys(setPackage.responses)).toEqual(expect.arrayContaining(['400', '401', '403']));
    const list = doc.paths['/admin/payments/unapplied'].get;
    expect(list.parameters?.map(({ name, in: where }) => `${where}:${name}`)).toEqual([
      'query:limit',
      'query:cursor',
    ]);
    const dismiss = doc.paths['/admin/payments/unapplied/{eventId}/dismiss'].post;
    expect(dismiss.requestBody?.content['application/json'].schema).toMatchObject({ required: ['reason'] });
    expect(Object.keys(dismiss.responses)).toEqual(expect.arrayContaining(['400', '401', '403']));
    const webhook = doc.paths['/payments/stripe/webhook'].post;
    expect(webhook.requestBody?.content['application/json'].schema).toMatchObject({
      required: ['id', 'type', 'created', 'data'],
    });
    expect(webhook.parameters).toEqual([expect.objectContaining({ name: 'stripe-signature', in: 'header' })]);
  });

  it('documents the 402 of @RequiresPackage routes as the body a real 402 has', async () => {
    const doc = await document();
    for (const path of ['/content/basic', '/content/pro']) {
      expect(doc.paths[path].get.responses['402'].content?.['application/json'].schema).toEqual({
        $ref: '#/components/schemas/PackageRequired',
      });
    }
    expect(Object.keys(doc.paths['/content/free'].get.responses)).not.toContain('402');
    expect(doc.components.schemas.PackageRequired).toMatchObject({ additionalProperties: false });
    const refused = await t.app.inject({
      method: 'GET',
      url: '/content/basic',
      headers: bearer(await devToken(uniqueEmail('openapi'))),
    });
    expect(refused.statusCode).toBe(402);
    expect(packageRequiredBodySchema.safeParse(refused.json()).error).toBeUndefined();
  });

  it('documents the error shape a real 400 has', async () => {
    const refused = await t.app.inject({
      method: 'POST',
      url: '/payments/checkout',
      headers: bearer(await devToken(uniqueEmail('openapi'))),
      payload: { package: 'pro', extra: 1 },
    });
    expect(refused.statusCode).toBe(400);
    expect(errorBodySchema.safeParse(refused.json()).error).toBeUndefined();
    expect((await document()).components.schemas.ErrorBody).toMatchObject({
      required: ['statusCode', 'error', 'code', 'message'],
    });
  });

  it('serves Swagger UI with its own CSP and only the files it loads', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-');
    for (const url of [
      '/docs/assets/swagger-ui.css',
      '/docs/assets/swagger-ui-bundle.js',
      '/docs/swagger-ui-start.js',
    ]) {
      expect({ url, status: (await t.app.inject({ method: 'GET', url })).statusCode }).toEqual({
        url,
        status: 200,
      });
      expect(page.body).toContain(url);
    }
    // swagger-ui-dist's demo page (it loads the Petstore) and the rest of its folder stay unserved.
    for (const url of [
      '/docs/assets/index.html',
      '/docs/assets/swagger-initializer.js',
      '/docs/assets/package.json',
      '/docs/assets/..%2Fpackage.json',
      '/docs/assets/toString',
    ]) {
      expect({ url, status: (await t.app.inject({ method: 'GET', url })).statusCode }).toEqual({
        url,
        status: 404,
      });
    }
  });

  it("answers Swagger UI's files from the installed swagger-ui-dist, revalidated by ETag", async () => {
    const url = '/docs/assets/swagger-ui-bundle.js';
    const first = await t.app.inject({ method: 'GET', url });
    expect(first.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(first.body).toContain('SwaggerUIBundle');
    const etag = String(first.headers.etag);
    const again = await t.app.inject({ method: 'GET', url, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const stale = await t.app.inject({ method: 'GET', url, headers: { 'if-none-match': '"old"' } });
    expect(stale.statusCode).toBe(200);
  });
});
