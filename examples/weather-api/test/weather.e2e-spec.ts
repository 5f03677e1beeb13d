import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestCaller, startTestApp } from 'packgate/testing';
import { weatherApp } from '../src/app.js';

// Everything comes through packgate's package exports, as it would in an app of its own.
describe('weather-api, an app built on packgate', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startTestApp({ ...weatherApp, env: { PACKAGES: '1:basic,2:pro' } });
  }, 60_000);
  afterAll(() => app.close());

  const get = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers });

  it('puts packgate’s routes and its own under the global prefix set in configure()', async () => {
    expect((await get('/api/health')).statusCode).toBe(200);
    expect((await get('/health')).statusCode).toBe(404);
    expect((await get('/api/weather/today')).json()).toMatchObject({
      statusCode: 401,
      code: 'AUTH.UNAUTHENTICATED',
    });
  });

  it('serves the free route to any caller and answers 402, pointing to the prefixed checkout, on the pro route below pro', async () => {
    for (const pkg of ['none', 'basic'] as const) {
      const caller = await createTestCaller(app, pkg);
      const today = await get('/api/weather/today?city=Lisbon', caller.headers);
      expect(today.statusCode).toBe(200);
      expect(today.json()).toMatchObject({ city: 'lisbon', day: 0, weekAhead: false });
      const week = await get('/api/weather/week', caller.headers);
      expect(week.statusCode).toBe(402);
      expect(week.json()).toMatchObject({
        code: 'PAYMENTS.PACKAGE_REQUIRED',
        requiredPackage: 'pro',
        currentPackage: pkg,
        checkout: '/api/payments/checkout',
      });
    }
  });

  it('serves the pro route to a pro caller, whose package is a staff grant in the ledger', async () => {
    const pro = await createTestCaller(app, 'pro');
    const week = await get('/api/weather/week?city=oslo', pro.headers);
    expect(week.statusCode).toBe(200);
    expect(week.json()).toMatchObject({ city: 'oslo', package: 'pro' });
    expect(week.json().days).toHaveLength(7);
    expect((await get('/api/weather/today', pro.headers)).json()).toMatchObject({ weekAhead: true });
    const me = await get('/api/users/me', pro.headers);
    expect(me.json()).toMatchObject({ email: pro.email, packageId: 2 });
  });

  it('answers the app’s own DomainError with the status and code it declares', async () => {
    const caller = await createTestCaller(app, 'none');
    const answer = await get('/api/weather/today?city=atlantis', caller.headers);
    expect(answer.statusCode).toBe(404);
    expect(answer.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'WEATHER.UNKNOWN_CITY',
      message: 'There is no weather for that city.',
      city: 'atlantis',
    });
  });
});
