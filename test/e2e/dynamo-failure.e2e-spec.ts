import { beforeAll, describe, expect, it } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import type { ProxyMode } from '../support/switchable-proxy.js';
import { useAppBehindProxy } from '../support/app-behind-proxy.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { createTestCaller } from '../../src/testing/index.js';

// Two attempts of at most 300 ms each, plus the SDK's back-off, must stay well under this.
const BOUND_MS = 3_000;
// Short, to keep the readiness tests quick; the default (5 s) behaves the same, only slower.
const READY_CACHE_MS = 2_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

describe('DynamoDB unreachable', () => {
  const dynamo = useTestDynamo();
  const t = useAppBehindProxy(dynamo, {
    DYNAMO_TIMEOUT_MS: '300',
    DYNAMO_CONNECT_TIMEOUT_MS: '300',
    DYNAMO_MAX_ATTEMPTS: '2',
    // The guard must read the package on every request: a failure to read must never let a payer through.
    ENTITLEMENT_CACHE_TTL_MS: '0',
    READY_CACHE_MS: String(READY_CACHE_MS),
  });
  let headers: Record<string, string>;

  beforeAll(async () => {
    // A pro user, so a guard that failed open would answer 200 on /content/pro.
    headers = (await createTestCaller(t.app, 'pro')).headers;
    expect((await t.app.inject({ method: 'GET', url: '/content/pro', headers })).statusCode).toBe(200);
  });

  async function timed(method: 'GET' | 'POST', url: string) {
    const started = performance.now();
    const response = await t.app.inject({ method, url, headers });
    return { response, elapsedMs: performance.now() - started };
  }

  describe.each<ProxyMode>(['refuse', 'black-hole'])('when its port is switched to %s', (mode) => {
    it.each([
      ['GET', '/users/me'],
      ['POST', '/users/me'],
      ['GET', '/content/pro'],
    ] as const)(`%s %s answers 503 with Retry-After within ${BOUND_MS} ms`, async (method, url) => {
      await t.proxy.switchTo(mode);
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

  describe.each<ProxyMode>(['refuse', 'black-hole'])('readiness when its port is switched to %s', (mode) => {
    it(`stays ready for READY_CACHE_MS after DynamoDB last answered, then answers 503 within ${BOUND_MS} ms, and is ready again as soon as DynamoDB answers`, async () => {
      expect((await timed('GET', '/health/ready')).response.json()).toEqual({
        status: 'ready',
        checks: { dynamodb: 'up' },
      });
      const answeredAt = performance.now();
      await t.proxy.switchTo(mode);

      const blip = await timed('GET', '/health/ready');
      // The check itself failed: a black hole takes the SDK's whole timeout to give up.
      expect(performance.now() - answeredAt).toBeLessThan(READY_CACHE_MS);
      expect(blip.response.statusCode).toBe(200);
      expect(blip.response.json()).toEqual({
        status: 'ready',
        checks: { dynamodb: 'unanswered' },
        lastAnsweredMsAgo: expect.any(Number),
      });

      await sleep(answeredAt + READY_CACHE_MS - performance.now());
      const { response, elapsedMs } = await timed('GET', '/health/ready');
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.json()).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'DEPENDENCY.UNAVAILABLE',
        message: expect.any(String),
      });
      expect(elapsedMs).toBeLessThan(BOUND_MS);

      await t.proxy.switchTo('forward');
      expect((await timed('GET', '/health/ready')).response.json()).toEqual({
        status: 'ready',
        checks: { dynamodb: 'up' },
      });
    });
  });

  it('serves again as soon as DynamoDB answers again', async () => {
    await t.proxy.switchTo('black-hole');
    expect((await timed('GET', '/users/me')).response.statusCode).toBe(503);
    await t.proxy.switchTo('forward');
    expect((await timed('GET', '/health/ready')).response.json()).toEqual({
      status: 'ready',
      checks: { dynamodb: 'up' },
    });
    expect((await timed('GET', '/users/me')).response.statusCode).toBe(200);
  });
});
