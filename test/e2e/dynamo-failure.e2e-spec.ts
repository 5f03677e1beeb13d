import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import { SwitchableProxy, type ProxyMode } from '../support/switchable-proxy.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

// Two attempts of at most 300 ms each, plus the SDK's back-off, must stay well under this.
const BOUND_MS = 3_000;

describe('DynamoDB unreachable', () => {
  const dynamo = useTestDynamo();
  let proxy: SwitchableProxy;
  let t: TestApp;
  let headers: Record<string, string>;

  beforeAll(async () => {
    proxy = await SwitchableProxy.start(dynamo.endpoint);
    t = await createTestApp(dynamo, {
      DYNAMO_ENDPOINT: proxy.url,
      DYNAMO_TIMEOUT_MS: '300',
      DYNAMO_CONNECT_TIMEOUT_MS: '300',
      DYNAMO_MAX_ATTEMPTS: '2',
    });
    headers = bearer(await devToken(uniqueEmail()));
    const registered = await t.app.inject({ method: 'POST', url: '/users/me', headers });
    expect(registered.statusCode).toBe(201);
  });
  afterEach(async () => {
    await proxy.switchTo('forward');
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
  });

  async function timed(method: 'GET' | 'POST', url: string) {
    const started = performance.now();
    const response = await t.app.inject({ method, url, headers });
    return { response, elapsedMs: performance.now() - started };
  }

  describe.each<ProxyMode>(['refuse', 'black-hole'])('when its port is switched to %s', (mode) => {
    it.each([
      ['GET', '/health/ready'],
      ['GET', '/users/me'],
      ['POST', '/users/me'],
    ] as const)(`%s %s answers 503 with Retry-After within ${BOUND_MS} ms`, async (method, url) => {
      await proxy.switchTo(mode);
      const { response, elapsedMs } = await timed(method, url);
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.json()).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'DEPENDENCY.UNAVAILABLE',
        message: expect.any(String),
      });
      expect(elapsedMs).toBeLessThan(BOUND_MS);
    });
  });

  it('serves again as soon as DynamoDB answers again', async () => {
    await proxy.switchTo('black-hole');
    expect((await timed('GET', '/users/me')).response.statusCode).toBe(503);
    await proxy.switchTo('forward');
    expect((await timed('GET', '/health/ready')).response.json()).toEqual({
      status: 'ready',
      checks: { dynamodb: 'up' },
    });
    expect((await timed('GET', '/users/me')).response.statusCode).toBe(200);
  });
});
