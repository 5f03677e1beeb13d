import { describe, expect, it } from '@jest/globals';
import { ConfigService } from '@nestjs/config';
import { signDevToken } from '../../src/auth/dev-token.js';
import { normalizeEmail } from '../../src/common/email.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { expectUnauthenticated } from '../support/error-responses.js';
import { useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

const now = () => Math.floor(Date.now() / 1000);
const HOUR = 3600;
const DAY = 24 * HOUR;

describe('token age (AUTH_MAX_TOKEN_AGE, default 24h; 30 s clock tolerance)', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo);
  const ask = async (token: string) =>
    t.app.inject({ method: 'GET', url: '/content/free', headers: bearer(token) });

  it.each<[string, () => Record<string, number | undefined>]>([
    ['issued a year ahead', () => ({ iat: now() + 365 * DAY })],
    ['issued a minute ahead (beyond the tolerance)', () => ({ iat: now() + 60 })],
    ['issued 25 hours ago, though not expired', () => ({ iat: now() - 25 * HOUR, exp: now() + HOUR })],
    ['with exp: 1e308', () => ({ exp: 1e308 })],
    ['expiring 25 hours ahead', () => ({ exp: now() + 25 * HOUR })],
    ['without iat', () => ({ iat: undefined })],
  ])('refuses a token %s', async (_case, claims) => {
    expectUnauthenticated(await ask(await devToken(uniqueEmail(), claims())));
  });

  it.each<[string, () => Record<string, number>]>([
    ['issued 10 s ahead (within the tolerance)', () => ({ iat: now() + 10 })],
    ['issued 23 hours ago', () => ({ iat: now() - 23 * HOUR, exp: now() + HOUR })],
    ['expiring 23 hours ahead', () => ({ exp: now() + 23 * HOUR })],
  ])('accepts a token %s', async (_case, claims) => {
    const response = await ask(await devToken(uniqueEmail(), claims()));
    expect(response.statusCode).toBe(200);
  });

  it('keeps development tokens (npm run token, createTestCaller) valid, and refuses to mint longer ones', async () => {
    const auth = t.app.get<ConfigService<AppConfig, true>>(ConfigService).get('auth', { infer: true });
    const email = normalizeEmail(uniqueEmail('dev'));
    for (const expiresIn of [undefined, '90s', '12h', '1d']) {
      expect((await ask(await signDevToken(auth, email, expiresIn))).statusCode).toBe(200);
    }
    await expect(signDevToken(auth, email, '25h')).rejects.toThrow(/AUTH_MAX_TOKEN_AGE/);
    await expect(signDevToken(auth, email, '1 hour')).rejects.toThrow(/--expires-in/);
  });

  describe('with AUTH_MAX_TOKEN_AGE=1h', () => {
    const short = useTestApp(dynamo, { AUTH_MAX_TOKEN_AGE: '1h' });

    it('refuses a token issued two hours ago and accepts one issued now', async () => {
      const headers = (claims: Record<string, number>) => devToken(uniqueEmail(), claims).then(bearer);
      const old = await headers({ iat: now() - 2 * HOUR, exp: now() + 600 });
      expectUnauthenticated(await short.app.inject({ method: 'GET', url: '/content/free', headers: old }));
      const fresh = await headers({ iat: now(), exp: now() + 600 });
      expect(
        (await short.app.inject({ method: 'GET', url: '/content/free', headers: fresh })).statusCode,
      ).toBe(200);
    });
  });
});
