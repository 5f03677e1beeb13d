import { describe, expect, it } from '@jest/globals';
import { createTestApp, useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

const FRONT_END = 'https://app.example.com';

function expectSecurityHeaders(headers: Record<string, unknown>) {
  expect(headers).toMatchObject({
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'no-store',
  });
  expect(headers['strict-transport-security']).toBeUndefined();
}

describe('security headers, content types and CORS', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo, { CORS_ORIGINS: `${FRONT_END}, http://localhost:5173` });

  describe('security headers', () => {
    it('are on authenticated answers, errors and 404s, with Cache-Control: no-store', async () => {
      const headers = bearer(await devToken(uniqueEmail()));
      const answers = await Promise.all([
        t.app.inject({ method: 'GET', url: '/content/free', headers }),
        t.app.inject({ method: 'GET', url: '/users/me', headers }),
        t.app.inject({ method: 'GET', url: '/content/free' }),
        t.app.inject({ method: 'GET', url: '/nowhere' }),
        t.app.inject({ method: 'GET', url: '/health' }),
      ]);
      expect(answers.map((answer) => answer.statusCode)).toEqual([200, 404, 401, 404, 200]);
      for (const answer of answers) expectSecurityHeaders(answer.headers);
    });

    it('HSTS only over TLS as seen through a trusted proxy', async () => {
      const viaTls = { 'x-forwarded-proto': 'https' };
      const untrusted = await t.app.inject({ method: 'GET', url: '/health', headers: viaTls });
      expect(untrusted.headers['strict-transport-security']).toBeUndefined();
      for (const trustProxy of ['127.0.0.1', '10.0.0.0/8, loopback', '1']) {
        const behindProxy = await createTestApp(dynamo, { TRUST_PROXY: trustProxy });
        try {
          const tls = await behindProxy.app.inject({ method: 'GET', url: '/health', headers: viaTls });
          expect(tls.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
          const plain = await behindProxy.app.inject({ method: 'GET', url: '/health' });
          expect(plain.headers['strict-transport-security']).toBeUndefined();
        } finally {
          await behindProxy.close();
        }
      }
    });
  });

  describe('content types', () => {
    it.each([
      ['a form', 'application/x-www-form-urlencoded', 'package_id=2'],
      ['plain text', 'text/plain', '{}'],
      ['no content type', undefined, '{}'],
    ])('refuses %s with 415 REQUEST.UNSUPPORTED_MEDIA_TYPE and writes nothing', async (_case, type, body) => {
      const email = uniqueEmail('form');
      const headers = { ...bearer(await devToken(email)), ...(type ? { 'content-type': type } : {}) };
      const refused = await t.app.inject({ method: 'POST', url: '/users/me', headers, payload: body });
      expect(refused.statusCode).toBe(415);
      expect(refused.json()).toEqual({
        statusCode: 415,
        error: 'Unsupported Media Type',
        code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
        message: 'Send the body as Content-Type: application/json.',
      });
      const after = await t.app.inject({
        method: 'GET',
        url: '/users/me',
        headers: bearer(await devToken(email)),
      });
      expect(after.statusCode).toBe(404);
    });

    it('accepts application/json with a charset', async () => {
      const headers = {
        ...bearer(await devToken(uniqueEmail())),
        'content-type': 'application/json; charset=utf-8',
      };
      const created = await t.app.inject({ method: 'POST', url: '/users/me', headers, payload: '{}' });
      expect(created.statusCode).toBe(201);
    });
  });

  describe('CORS', () => {
    const preflight = (origin: string, url = '/content/free') =>
      t.app.inject({
        method: 'OPTIONS',
        url,
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
    const corsHeaders = (headers: Record<string, unknown>) =>
      Object.keys(headers).filter((name) => name.startsWith('access-control-'));

    it('answers a preflight from an allowed origin, cached, without credentials', async () => {
      const response = await preflight(FRONT_END);
      expect(response.statusCode).toBe(204);
      expect(response.headers).toMatchObject({
        'access-control-allow-origin': FRONT_END,
        'access-control-allow-headers': 'Authorization, Content-Type',
        'access-control-max-age': '600',
      });
      expect(response.headers['access-control-allow-methods']).toContain('GET');
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
      expect(String(response.headers.vary)).toContain('Origin');
    });

    it('lets the front end read an authenticated answer', async () => {
      const headers = { ...bearer(await devToken(uniqueEmail())), origin: 'http://localhost:5173' };
      const response = await t.app.inject({ method: 'GET', url: '/content/free', headers });
      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    });

    it.each([
      ['another origin', () => preflight('https://evil.example')],
      ['a look-alike origin', () => preflight(`${FRONT_END}.evil.example`)],
      ['the webhook, even from an allowed origin', () => preflight(FRONT_END, '/payments/stripe/webhook')],
    ])('gives %s no CORS header at all', async (_case, send) => {
      const response = await send();
      expect(corsHeaders(response.headers)).toEqual([]);
      expect(response.statusCode).toBe(404);
    });

    it('gives a webhook delivery carrying an allowed Origin no CORS header', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/payments/stripe/webhook',
        headers: { origin: FRONT_END, 'content-type': 'application/json' },
        payload: '{}',
      });
      expect(response.statusCode).toBe(400);
      expect(corsHeaders(response.headers)).toEqual([]);
    });

    it('answers no origin when CORS_ORIGINS is unset (the default)', async () => {
      const closed = await createTestApp(dynamo);
      try {
        const response = await closed.app.inject({
          method: 'OPTIONS',
          url: '/content/free',
          headers: { origin: FRONT_END, 'access-control-request-method': 'GET' },
        });
        expect(corsHeaders(response.headers)).toEqual([]);
      } finally {
        await closed.close();
      }
    });
  });
});
