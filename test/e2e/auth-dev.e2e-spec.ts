import { describe, expect, it } from '@jest/globals';
import { UnsecuredJWT } from 'jose';
import { ConfigError, DEV_AUDIENCE, DEV_ISSUER } from '../../src/config/app-config.js';
import { expectError, expectUnauthenticated } from '../support/error-responses.js';
import { createTestApp, useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

const now = () => Math.floor(Date.now() / 1000);

describe('authentication with the dev secret (HS256)', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo);

  it('registers the caller of a valid token under the normalized email', async () => {
    const email = uniqueEmail('alice');
    const token = await devToken(`  ${email.toUpperCase()} `);
    const response = await t.app.inject({ method: 'POST', url: '/users/me', headers: bearer(token) });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ email });
  });

  it('lets a public route through without a token', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('accepts exp and nbf that are off by less than the 30 s clock tolerance', async () => {
    const token = await devToken(uniqueEmail(), { exp: now() - 10, nbf: now() + 10 });
    const response = await t.app.inject({ method: 'GET', url: '/users/me', headers: bearer(token) });
    expectError(response, 404, 'Not Found', 'USERS.NOT_FOUND');
  });

  it.each([
    ['no Authorization header', undefined],
    ['a Basic scheme', `Basic ${Buffer.from('alice:secret').toString('base64')}`],
    ['a Bearer scheme without a token', 'Bearer '],
    ['a token that is not a JWT', 'Bearer not-a-jwt'],
  ])('answers 401 to %s', async (_case, authorization) => {
    const headers = authorization === undefined ? {} : { authorization };
    expectUnauthenticated(await t.app.inject({ method: 'GET', url: '/users/me', headers }));
  });

  it.each(['access_token', 'token'])(
    'ignores a valid token sent as ?%s= in the query string',
    async (name) => {
      const token = await devToken(uniqueEmail());
      expectUnauthenticated(await t.app.inject({ method: 'GET', url: `/users/me?${name}=${token}` }));
    },
  );

  const refusedTokens: [string, () => Promise<string>][] = [
    [
      'signed with another secret',
      () => devToken(uniqueEmail(), {}, 'another-secret-of-at-least-32-characters!'),
    ],
    [
      'that is unsecured (alg: none)',
      async () =>
        new UnsecuredJWT({ email: uniqueEmail(), email_verified: true })
          .setIssuer(DEV_ISSUER)
          .setAudience(DEV_AUDIENCE)
          .setExpirationTime('1h')
          .encode(),
    ],
    ['expired beyond the clock tolerance', () => devToken(uniqueEmail(), { exp: now() - 60 })],
    [
      'not valid before a time beyond the clock tolerance',
      () => devToken(uniqueEmail(), { nbf: now() + 60 }),
    ],
    ['without exp', () => devToken(uniqueEmail(), { exp: undefined })],
    ['from another issuer', () => devToken(uniqueEmail(), { iss: 'https://someone-else.example' })],
    ['for another audience', () => devToken(uniqueEmail(), { aud: 'another-api' })],
    ['whose email_verified is false', () => devToken(uniqueEmail(), { email_verified: false })],
    ['without email_verified', () => devToken(uniqueEmail(), { email_verified: undefined })],
    ['without an email claim', () => devToken(uniqueEmail(), { email: undefined })],
    ['whose email claim is not an address', () => devToken('alice at example.com')],
    ['whose email claim is not a string', () => devToken(uniqueEmail(), { email: ['a@example.com'] })],
  ];
  it.each(refusedTokens)('answers 401 to a token %s', async (_case, makeToken) => {
    const headers = bearer(await makeToken());
    expectUnauthenticated(await t.app.inject({ method: 'GET', url: '/users/me', headers }));
  });

  it('refuses to start when NODE_ENV=production, naming AUTH_DEV_SECRET', async () => {
    const starting = createTestApp(dynamo, { NODE_ENV: 'production' });
    await expect(starting).rejects.toThrow(ConfigError);
    await expect(starting).rejects.toThrow(/AUTH_DEV_SECRET/);
  });
});
