import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { startJwksServer, type JwksServer } from '../support/jwks-server.js';
import { generateProviderKey, providerToken, type ProviderKey } from '../support/provider-keys.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

const AUDIENCE = 'packgate-api';

describe('remembered token verifications', () => {
  const dynamo = useTestDynamo();
  let key: ProviderKey;
  let server: JwksServer;
  const apps: TestApp[] = [];
  const oidcApp = async (env: Record<string, string> = {}) => {
    const t = await createTestApp(dynamo, {
      AUTH_DEV_SECRET: '',
      AUTH_ISSUER: server.issuer,
      AUTH_AUDIENCE: AUDIENCE,
      AUTH_JWKS_URL: server.jwksUrl,
      AUTH_JWKS_COOLDOWN_MS: '0',
      // Key sets go stale at once, so a retired key fails as soon as the signature is checked again.
      AUTH_JWKS_CACHE_MAX_AGE_MS: '1',
      ...env,
    });
    apps.push(t);
    return t;
  };
  beforeAll(async () => {
    key = await generateProviderKey();
    server = await startJwksServer([key.jwk]);
  });
  afterAll(async () => {
    await Promise.all(apps.map((t) => t.close()));
    await server.close();
  });

  const status = async (t: TestApp, token: string) =>
    (await t.app.inject({ method: 'GET', url: '/content/free', headers: bearer(token) })).statusCode;

  it('skips the signature check for a token it verified, until the cache TTL (a retired key lingers that long)', async () => {
    server.publish([key.jwk]);
    const cached = await oidcApp();
    const uncached = await oidcApp({ AUTH_TOKEN_CACHE_MAX: '0' });
    const token = await providerToken(key, { iss: server.issuer, aud: AUDIENCE, email: uniqueEmail() });
    expect(await status(cached, token)).toBe(200);
    expect(await status(uncached, token)).toBe(200);

    const next = await generateProviderKey();
    server.publish([next.jwk]); // the provider retires the key that signed `token`

    expect(await status(cached, token)).toBe(200);
    expect(await status(uncached, token)).toBe(401);
  });

  it('never remembers a token past its exp, even within the clock tolerance', async () => {
    const t = await createTestApp(dynamo, { AUTH_CLOCK_TOLERANCE_S: '0' });
    apps.push(t);
    const token = await devToken(uniqueEmail(), { exp: Math.floor(Date.now() / 1000) + 2 });
    expect(await status(t, token)).toBe(200);
    await sleep(2100);
    expect(await status(t, token)).toBe(401);
  });
});
