import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module } from '@nestjs/common';
import { Public } from '../../src/auth/public.decorator.js';
import { callerHash } from '../../src/logging/access-log.js';
import { TRACKS_REQUEST_CONTEXT } from '../../src/logging/request-context.js';
import { createLoggedTestApp, type LoggedTestApp } from '../support/log-capture.js';
import { deliver, enterprisePurchase, TEST_PACKAGES } from '../support/stripe-events.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

@Public()
@Controller('test-bug')
class BuggyController {
  @Get()
  fail(): never {
    throw new Error('a bug in a handler');
  }
}

@Module({ controllers: [BuggyController] })
class BuggyModule {}

describe('access logs and request ids', () => {
  const dynamo = useTestDynamo();
  let t: LoggedTestApp;
  beforeAll(async () => {
    t = await createLoggedTestApp(dynamo, { ACCESS_LOG_SAMPLE: '1', PACKAGES: TEST_PACKAGES }, [BuggyModule]);
  });
  afterAll(() => t?.close());

  const lineOf = (requestId: unknown) => t.accessLines().find((line) => line.requestId === requestId);

  it('writes one line per request: method, route pattern, status, duration, request id, hashed caller', async () => {
    const email = uniqueEmail();
    const response = await t.app.inject({
      method: 'GET',
      url: '/content/pro',
      headers: bearer(await devToken(email)),
    });
    expect(response.statusCode).toBe(402);
    const requestId = response.headers['x-request-id'];
    expect(requestId).toMatch(UUID);
    // Only ours: Fastify's own "incoming request" and "request completed" lines are off.
    expect(t.lines().filter((line) => line.requestId === requestId)).toHaveLength(1);
    expect(lineOf(requestId)).toEqual({
      level: 30,
      time: expect.any(Number),
      requestId,
      method: 'GET',
      route: '/content/pro',
      status: 402,
      durationMs: expect.any(Number),
      caller: callerHash(email),
      msg: 'request',
    });
    expect(t.raw.join('')).not.toContain(email);
  });

  it('never logs Authorization, cookies, Stripe-Signature, X-API-Key, bodies or the raw path', async () => {
    const secret = (name: string) => `${name}-${Math.random().toString(36).slice(2)}${Date.now()}`;
    const email = uniqueEmail('logged');
    const token = await devToken(email);
    const values = {
      cookie: secret('cookie'),
      signature: secret('sig'),
      apiKey: secret('apikey'),
      body: secret('body'),
      query: secret('query'),
    };
    const headers = {
      authorization: `Bearer ${token}`,
      cookie: `session=${values.cookie}`,
      'stripe-signature': `t=1,v1=${values.signature}`,
      'content-type': 'application/json',
    };
    // An API key goes alone: a request with both an Authorization header and a key is refused (401).
    const withKey = { cookie: headers.cookie, 'x-api-key': `pgk_${values.apiKey}` };
    const answers = await Promise.all([
      t.app.inject({ method: 'GET', url: `/content/free?k=${values.query}`, headers }),
      t.app.inject({
        method: 'POST',
        url: '/payments/stripe/webhook',
        headers,
        payload: JSON.stringify({ id: 'evt_1', card: values.body }),
      }),
      t.app.inject({
        method: 'PUT',
        url: `/admin/users/${encodeURIComponent(email)}/package`,
        headers,
        payload: JSON.stringify({ package: values.body }),
      }),
      t.app.inject({ method: 'GET', url: '/users/me', headers: withKey }),
    ]);
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 400, 403, 401]);
    const logged = answers.map((answer) => lineOf(answer.headers['x-request-id']));
    expect(logged.map((line) => [line?.route, line?.status])).toEqual([
      ['/content/free', 200],
      ['/payments/stripe/webhook', 400],
      ['/admin/users/:email/package', 403],
      ['/users/me', 401],
    ]);
    const everything = t.raw.join('');
    for (const value of [token, email, ...Object.values(values)]) expect(everything).not.toContain(value);
  });

  it('keeps a sane X-Request-Id and echoes it; replaces one that is not', async () => {
    const kept = await t.app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'Root=1-5759e988-bd862e3fe1be46a994272793' },
    });
    expect(kept.headers['x-request-id']).toBe('Root=1-5759e988-bd862e3fe1be46a994272793');
    expect(lineOf('Root=1-5759e988-bd862e3fe1be46a994272793')).toMatchObject({ route: '/health' });

    for (const insane of ['x'.repeat(129), 'two words', '"quoted"', 'a{json}', '']) {
      const replaced = await t.app.inject({
        method: 'GET',
        url: '/health',
        headers: { 'x-request-id': insane },
      });
      expect(replaced.headers['x-request-id']).toMatch(UUID);
    }
    expect(t.raw.join('')).not.toContain('two words');
  });

  it('echoes the request id on error answers: 401, 404, 405, 415 and a router-refused URL', async () => {
    const requests = [
      { method: 'GET', url: '/users/me' },
      { method: 'GET', url: '/no/such/path' },
      { method: 'PROPFIND', url: '/health' },
      {
        method: 'PUT',
        url: '/admin/users/a%40b.co/package',
        headers: { 'content-type': 'text/plain' },
        payload: 'x',
      },
      { method: 'GET', url: '/admin/users/%zz' },
    ] as const;
    const answers = await Promise.all(
      requests.map((request, index) =>
        t.app.inject({
          ...request,
          headers: {
            ...('headers' in request ? request.headers : {}),
            'x-request-id': `error-answer-${index}`,
          },
        }),
      ),
    );
    expect(answers.map((answer) => [answer.statusCode, answer.headers['x-request-id']])).toEqual([
      [401, 'error-answer-0'],
      [404, 'error-answer-1'],
      [405, 'error-answer-2'],
      [415, 'error-answer-3'],
      [400, 'error-answer-4'],
    ]);
    expect(lineOf('error-answer-1')).toMatchObject({ route: null, status: 404 });
  });

  it('names the request id in the line the exception filter writes for a bug', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/test-bug',
      headers: { 'x-request-id': 'bug-report-1' },
    });
    expect(response.statusCode).toBe(500);
    const bugLine = t.lines().find((line) => line.context === 'HttpErrorFilter' && line.level === 50);
    expect(bugLine).toMatchObject({
      requestId: 'bug-report-1',
      msg: expect.stringContaining('a bug in a handler'),
    });
  });
});

describe('ACCESS_LOG_SAMPLE=0', () => {
  const dynamo = useTestDynamo();
  let t: LoggedTestApp;
  beforeAll(async () => {
    t = await createLoggedTestApp(dynamo, { ACCESS_LOG_SAMPLE: '0' });
  });
  afterAll(() => t?.close());

  it('logs errors and writes but no fast successful read', async () => {
    const headers = bearer(await devToken(uniqueEmail()));
    const answers = await Promise.all([
      t.app.inject({ method: 'GET', url: '/content/free', headers }),
      t.app.inject({ method: 'GET', url: '/content/pro', headers }),
      t.app.inject({ method: 'POST', url: '/payments/stripe/webhook', payload: {} }),
    ]);
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 402, 400]);
    const logged = t.accessLines().map((line) => [line.requestId, line.status]);
    expect(logged.sort()).toEqual(
      [
        [answers[1].headers['x-request-id'], 402],
        [answers[2].headers['x-request-id'], 400],
      ].sort(),
    );
  });

  it("names the request id on the lines packgate's services write while answering it (Node 24+)", async () => {
    const { evt } = enterprisePurchase(uniqueEmail('parked-log'));
    const response = await deliver(t.app, evt);
    expect(response.json()).toEqual({ received: true, outcome: 'parked' });
    const requestId = response.headers['x-request-id'];
    const parked = t.lines().find((line) => String(line.msg).startsWith(`event ${evt.id} `));
    expect(String(parked?.msg)).toContain('parked, not applied');
    if (TRACKS_REQUEST_CONTEXT)
      expect(parked).toMatchObject({ level: 50, context: 'PaymentsLedger', requestId });
    else expect(parked).not.toHaveProperty('requestId'); // Node 20: see TRACKS_REQUEST_CONTEXT
    // Lines written outside any request (start-up's) name none.
    expect(t.lines().find((line) => line.context === 'NestApplication')).not.toHaveProperty('requestId');
  });
});

describe('ACCESS_LOG=off', () => {
  const dynamo = useTestDynamo();
  let t: LoggedTestApp;
  beforeAll(async () => {
    t = await createLoggedTestApp(dynamo, { ACCESS_LOG: 'off' });
  });
  afterAll(() => t?.close());

  it('writes no access line, still echoes request ids, and has no /metrics without METRICS_TOKEN', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/health' });
    expect(health.headers['x-request-id']).toMatch(UUID);
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(404);
    expect(t.accessLines()).toEqual([]);
    expect(t.lines().length).toBeGreaterThan(0);
  });
});
