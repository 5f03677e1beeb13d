import { describe, expect, it } from '@jest/globals';
import { randomInt } from 'node:crypto';
import { useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { newPurchase, signature, stripeEvents, TEST_PACKAGES } from '../support/stripe-events.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';
import { createTestCaller } from '../../src/testing/index.js';

const group = () => randomInt(0, 0x10000).toString(16);
/** A /64 of the IPv6 documentation range per call, so tests in this file never share a count. */
const newNetwork = () => `2001:db8:${group()}:${group()}`;

describe('failed authentication is limited per client address', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo, { PACKAGES: TEST_PACKAGES });

  const getMe = (remoteAddress: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url: '/users/me', remoteAddress, headers });
  const badToken = async (email: string) =>
    bearer(await devToken(email, {}, 'a-different-secret-of-at-least-32-chars'));

  it('answers 401 to 20 refused tokens in a minute, 429 with Retry-After and the RateLimit fields to the 21st, and still lets a valid token from that address through', async () => {
    const address = `${newNetwork()}::1`;
    const bad = await badToken(uniqueEmail());
    for (let attempt = 1; attempt <= 20; attempt++) {
      // TRUST_PROXY is off: a forwarded-for header changes nothing.
      const refused = await getMe(address, { ...bad, 'x-forwarded-for': `198.51.100.${attempt}` });
      expect(refused.statusCode).toBe(401);
    }
    const limited = await getMe(address, bad);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'AUTH.TOO_MANY_FAILURES',
      message: expect.stringMatching(/try again in \d+ s/),
    });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers['ratelimit-policy']).toBe('"failed-auth";q=20;w=60');
    expect(limited.headers['ratelimit']).toBe(`"failed-auth";r=0;t=${retryAfter}`);
    // No token at all counts the same as a bad one.
    expect((await getMe(address)).statusCode).toBe(429);

    const caller = await createTestCaller(t.app, 'basic');
    const good = await getMe(address, caller.headers);
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ email: caller.email });
  });

  it('counts an IPv6 client by its /64 network, each network on its own', async () => {
    const network = newNetwork();
    const bad = await badToken(uniqueEmail());
    for (let attempt = 1; attempt <= 20; attempt++) await getMe(`${network}::${attempt.toString(16)}`, bad);
    expect((await getMe(`${network}:ffff:ffff:ffff:ffff`, bad)).statusCode).toBe(429);
    expect((await getMe(`${newNetwork()}::1`, bad)).statusCode).toBe(401);
  });
});

describe('behind a trusted proxy, the limit counts the forwarded client address', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo, { TRUST_PROXY: '127.0.0.1', AUTH_FAILURE_LIMIT: '3/1m' });

  it('limits the client named in X-Forwarded-For, not the proxy', async () => {
    const bad = bearer(await devToken(uniqueEmail(), {}, 'a-different-secret-of-at-least-32-chars'));
    const fromClient = (client: string) =>
      t.app.inject({
        method: 'GET',
        url: '/users/me',
        remoteAddress: '127.0.0.1',
        headers: { ...bad, 'x-forwarded-for': client },
      });
    for (let attempt = 1; attempt <= 3; attempt++)
      expect((await fromClient('198.51.100.7')).statusCode).toBe(401);
    const limited = await fromClient('198.51.100.7');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['ratelimit-policy']).toBe('"failed-auth";q=3;w=60');
    expect((await fromClient('198.51.100.8')).statusCode).toBe(401);
  });
});

describe('webhooks with bad signatures are limited per client address', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo, { PACKAGES: TEST_PACKAGES });

  const post = (remoteAddress: string, payload: string, stripeSignature: string) =>
    t.app.inject({
      method: 'POST',
      url: '/payments/stripe/webhook',
      remoteAddress,
      headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature },
      payload,
    });

  it('answers 400 to 20 bad signatures, 429 to the 21st, and still applies a correctly signed event from that address', async () => {
    const address = `${newNetwork()}::1`;
    const purchase = newPurchase(uniqueEmail(), 2);
    const payload = JSON.stringify(stripeEvents.checkoutCompleted(purchase));
    const forged = signature(payload, 'whsec_not_the_secret_of_this_server');
    for (let attempt = 1; attempt <= 20; attempt++) {
      const refused = await post(address, payload, forged);
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'PAYMENTS.INVALID_SIGNATURE' });
    }
    const limited = await post(address, payload, forged);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'PAYMENTS.TOO_MANY_INVALID_SIGNATURES' });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(limited.headers['ratelimit-policy']).toBe('"bad-webhook-signature";q=20;w=60');
    expect(limited.headers['ratelimit']).toBe(`"bad-webhook-signature";r=0;t=${retryAfter}`);

    const genuine = await post(address, payload, signature(payload));
    expect(genuine.statusCode).toBe(200);
    expect(genuine.json()).toEqual({ received: true, outcome: 'applied' });
  });
});
