import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { expectError, expectUnauthenticated } from '../support/error-responses.js';
import { startJwksServer, type JwksServer } from '../support/jwks-server.js';
import { generateProviderKey, providerToken, type ProviderKey } from '../support/provider-keys.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, uniqueEmail } from '../support/tokens.js';

const AUDIENCE = 'packgate-api';

/** OIDC mode against `server`: no dev secret, and jose may refetch the JWKS on every unknown key id. */
const oidcEnv = (server: JwksServer, env: Record<string, string> = {}) => ({
  AUTH_DEV_SECRET: '',
  AUTH_ISSUER: server.issuer,
  AUTH_AUDIENCE: AUDIENCE,
  AUTH_JWKS_COOLDOWN_MS: '0',
  ...env,
});

const withJwksUrl = (server: JwksServer) => oidcEnv(server, { AUTH_JWKS_URL: server.jwksUrl });

const tokenFor = (key: ProviderKey, server: JwksServer, email: string) =>
  providerToken(key, { iss: server.issuer, aud: AUDIENCE, email });

describe('authentication with an OIDC provider (JWKS)', () => {
  const dynamo = useTestDynamo();
  const opened: { close(): Promise<void> }[] = [];
  function closeAfterAll<T extends { close(): Promise<void> }>(resource: T): T {
    opened.push(resource);
    return resource;
  }
  afterAll(async () => {
    await Promise.all(opened.map((resource) => resource.close()));
  });

  let key: ProviderKey;
  let server: JwksServer;
  beforeAll(async () => {
    key = await generateProviderKey();
    server = closeAfterAll(await startJwksServer([key.jwk]));
  });

  /** POST /users/me with `token` and expects `email` registered: the token was accepted. */
  async function expectRegistered(t: TestApp, token: string, email: string) {
    const response = await t.app.inject({ method: 'POST', url: '/users/me', headers: bearer(token) });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ email });
  }

  describe('with AUTH_JWKS_URL', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = closeAfterAll(await createTestApp(dynamo, withJwksUrl(server)));
    });
    const get = (token: string) => t.app.inject({ method: 'GET', url: '/users/me', headers: bearer(token) });

    it('accepts an RS256 token signed with a published key', async () => {
      const email = uniqueEmail();
      await expectRegistered(t, await tokenFor(key, server, email), email);
    });

    it.each([
      ['its PEM (SPKI) bytes', () => new TextEncoder().encode(key.spkiPem)],
      ["its JWK's n", () => new TextEncoder().encode(key.jwk.n)],
    ])('answers 401 to an HS256 token keyed with the public key as %s', async (_case, secret) => {
      const token = await new SignJWT({ email: uniqueEmail(), email_verified: true })
        .setProtectedHeader({ alg: 'HS256', kid: key.kid })
        .setIssuer(server.issuer)
        .setAudience(AUDIENCE)
        .setExpirationTime('1h')
        .sign(secret());
      expectUnauthenticated(await get(token));
    });

    it('answers 401 to a token whose key id the provider does not publish', async () => {
      const stranger = await generateProviderKey();
      expectUnauthenticated(await get(await tokenFor(stranger, server, uniqueEmail())));
    });

    it('answers 401 to a token that names a published key id but is signed by another key', async () => {
      const forger = { ...(await generateProviderKey()), kid: key.kid };
      expectUnauthenticated(await get(await tokenFor(forger, server, uniqueEmail())));
    });
  });

  it('accepts tokens of a rotated-in key and refuses the retired one', async () => {
    const [oldKey, newKey] = await Promise.all([generateProviderKey(), generateProviderKey()]);
    const rotating = closeAfterAll(await startJwksServer([oldKey.jwk]));
    const t = closeAfterAll(await createTestApp(dynamo, withJwksUrl(rotating)));
    const [before, after] = [uniqueEmail('before'), uniqueEmail('after')];
    await expectRegistered(t, await tokenFor(oldKey, rotating, before), before);

    rotating.publish([newKey.jwk]);
    await expectRegistered(t, await tokenFor(newKey, rotating, after), after);
    const retired = await tokenFor(oldKey, rotating, uniqueEmail('retired'));
    expectUnauthenticated(await t.app.inject({ method: 'GET', url: '/users/me', headers: bearer(retired) }));
  });

  it("finds the keys through the issuer's discovery document when AUTH_JWKS_URL is unset", async () => {
    const t = closeAfterAll(await createTestApp(dynamo, oidcEnv(server)));
    const email = uniqueEmail();
    await expectRegistered(t, await tokenFor(key, server, email), email);
  });

  it.each([
    ['the JWKS', withJwksUrl],
    ['the discovery document', (down: JwksServer) => oidcEnv(down)],
  ])('answers 503 with Retry-After when %s cannot be fetched', async (_case, env) => {
    const down = await startJwksServer([key.jwk]);
    await down.close();
    const t = closeAfterAll(await createTestApp(dynamo, env(down)));
    const token = await tokenFor(key, down, uniqueEmail());
    const response = await t.app.inject({ method: 'GET', url: '/users/me', headers: bearer(token) });
    expectError(response, 503, 'Service Unavailable', 'DEPENDENCY.UNAVAILABLE');
    expect(response.headers['retry-after']).toBe('1');
  });
});
