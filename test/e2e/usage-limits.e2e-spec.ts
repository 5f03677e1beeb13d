import { describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestCaller } from '../../src/testing/index.js';
import { useAppBehindProxy } from '../support/app-behind-proxy.js';
import { createTestApp, useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

const get = (app: NestFastifyApplication, url: string, headers: Record<string, string>) =>
  app.inject({ method: 'GET', url, headers });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for the next window of `windowMs` unless at least `needMs` of the current one is left. */
async function windowWithTimeLeft(windowMs: number, needMs: number) {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await sleep(left + 20);
}

describe('per-package limits (PACKAGE_LIMITS)', () => {
  const dynamo = useTestDynamo();

  describe('one instance', () => {
    const t = useTestApp(dynamo, {
      // Hours, not minutes: a test never straddles a window's end unless it starts in the last seconds of an hour.
      PACKAGE_LIMITS: 'none=3/h,basic=100/h+4/month,pro=1000/h',
    });

    it('answers the (L+1)th request in a window 429 with Retry-After, the RateLimit fields and an upgrade hint', async () => {
      const caller = await createTestCaller(t.app, 'none');
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) {
        const answer = await get(t.app, '/content/free', caller.headers);
        expect(answer.statusCode).toBe(200);
        expect(answer.headers['ratelimit-policy']).toBe('"h";q=3;w=3600');
        remaining.push(String(answer.headers.ratelimit));
      }
      expect(remaining.map((field) => /r=(\d+)/.exec(field)![1])).toEqual(['2', '1', '0']);
      const refused = await get(t.app, '/content/free', caller.headers);
      expect(refused.statusCode).toBe(429);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      expect(refused.headers.ratelimit).toMatch(/^"h";r=0;t=\d+$/);
      expect(refused.json()).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        code: 'USAGE.LIMIT_EXCEEDED',
        message: expect.stringContaining('3 requests per h'),
        policy: 'h',
        limit: 3,
        retryAfter,
        upgrade: { package: 'basic', checkout: '/payments/checkout' },
      });
    });

    it('counts all of a user’s requests together and leaves other users alone', async () => {
      const [alice, bob] = [await createTestCaller(t.app, 'none'), await createTestCaller(t.app, 'none')];
      for (let i = 0; i < 3; i++) expect((await get(t.app, '/users/me', alice.headers)).statusCode).toBe(200);
      expect((await get(t.app, '/content/free', alice.headers)).statusCode).toBe(429);
      expect((await get(t.app, '/content/free', bob.headers)).statusCode).toBe(200);
    });

    it('applies a monthly quota beside the hourly limit, and reports both at /users/me/usage', async () => {
      const caller = await createTestCaller(t.app, 'basic');
      for (let i = 0; i < 4; i++)
        expect((await get(t.app, '/content/basic', caller.headers)).statusCode).toBe(200);
      const refused = await get(t.app, '/content/basic', caller.headers);
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toMatchObject({ policy: 'month', limit: 4, upgrade: { package: 'pro' } });
      expect(refused.headers['ratelimit-policy']).toMatch(/^"h";q=100;w=3600, "month";q=4;w=\d+$/);
      const now = new Date();
      const monthEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
      expect(Number(refused.headers['retry-after'])).toBeCloseTo((monthEnd - Date.now()) / 1000, -1);

      const usage = await get(t.app, '/users/me/usage', caller.headers);
      expect(usage.statusCode).toBe(200);
      expect(usage.json()).toEqual({
        package: 'basic',
        unlimited: false,
        limits: [
          { policy: 'h', limit: 100, used: 4, remaining: expect.any(Number), resetsAt: expect.any(String) },
          { policy: 'month', limit: 4, used: 4, remaining: 0, resetsAt: new Date(monthEnd).toISOString() },
        ],
      });
    });

    it('leaves a package without an entry unlimited, and public routes uncounted', async () => {
      const unlimitedApp = await createTestApp(dynamo, { PACKAGE_LIMITS: 'none=1/min' });
      try {
        const pro = await createTestCaller(unlimitedApp.app, 'pro');
        for (let i = 0; i < 5; i++) {
          const answer = await get(unlimitedApp.app, '/content/pro', pro.headers);
          expect(answer.statusCode).toBe(200);
          expect(answer.headers.ratelimit).toBeUndefined();
        }
        expect((await get(unlimitedApp.app, '/users/me/usage', pro.headers)).json()).toEqual({
          package: 'pro',
          unlimited: true,
          limits: [],
        });
        for (let i = 0; i < 3; i++) expect((await get(unlimitedApp.app, '/health', {})).statusCode).toBe(200);
      } finally {
        await unlimitedApp.close();
      }
    });
  });

  it('starts a new window with the whole limit again', async () => {
    const t = await createTestApp(dynamo, { PACKAGE_LIMITS: 'none=2/2s' });
    try {
      const caller = await createTestCaller(t.app, 'none');
      await windowWithTimeLeft(2000, 1500);
      expect((await get(t.app, '/users/me', caller.headers)).statusCode).toBe(200);
      expect((await get(t.app, '/users/me', caller.headers)).statusCode).toBe(200);
      expect((await get(t.app, '/users/me', caller.headers)).statusCode).toBe(429);
      await sleep(2000 - (Date.now() % 2000) + 20);
      expect((await get(t.app, '/users/me', caller.headers)).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  }, 15_000);

  it('shares a limit between two instances within the stated bound', async () => {
    const quota = 200; // lease 10, so the bound is 200 − 2·(10 + 5) = 170 ≤ accepted ≤ 200
    const a = await createTestApp(dynamo, { PACKAGE_LIMITS: `none=${quota}/h` });
    const b = await createTestApp(dynamo, {
      PACKAGE_LIMITS: `none=${quota}/h`,
      DYNAMO_TABLE_NAME: a.tableName,
    });
    try {
      const caller = await createTestCaller(a.app, 'none');
      await windowWithTimeLeft(3_600_000, 20_000);
      let accepted = 0;
      for (let i = 0; i < 150; i++) {
        const answers = await Promise.all([
          get(a.app, '/users/me', caller.headers),
          get(b.app, '/users/me', caller.headers),
        ]);
        accepted += answers.filter((answer) => answer.statusCode === 200).length;
        for (const answer of answers) expect([200, 429]).toContain(answer.statusCode);
      }
      process.stdout.write(`two instances, quota ${quota}: ${accepted} accepted of 300\n`);
      expect(accepted).toBeGreaterThanOrEqual(quota - 2 * 15);
      expect(accepted).toBeLessThanOrEqual(quota);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 30_000);

  describe('with DynamoDB unreachable', () => {
    const t = useAppBehindProxy(dynamo, {
      PACKAGE_LIMITS: 'none=3/h',
      DYNAMO_TIMEOUT_MS: '300',
      DYNAMO_CONNECT_TIMEOUT_MS: '300',
      DYNAMO_MAX_ATTEMPTS: '1',
      ENTITLEMENT_CACHE_TTL_MS: '60000',
    });

    it('fails open to the limit counted by this instance alone, while the package check still fails closed', async () => {
      const caller = await createTestCaller(t.app, 'none');
      const unseen = bearer(await devToken(uniqueEmail('unseen')));
      await t.proxy.switchTo('refuse');
      // The cached package lets authentication and the limit's package lookup work; the lease cannot.
      const answers = [];
      for (let i = 0; i < 4; i++)
        answers.push((await get(t.app, '/content/free', caller.headers)).statusCode);
      expect(answers).toEqual([200, 200, 200, 429]);
      // A package that cannot be read (a caller this instance has not seen) is never a pass.
      expect((await get(t.app, '/content/pro', unseen)).statusCode).toBe(503);
    });
  });
});
