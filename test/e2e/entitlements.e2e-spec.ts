import { describe, expect, it } from '@jest/globals';
import { createTestCaller } from '../../src/testing/index.js';
import { UsersRepository } from '../../src/users/users.repository.js';
import { useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

const ROUTES = ['free', 'basic', 'pro'] as const;
// Expected status for [package][route]: a higher package includes every lower one.
const EXPECTED: Record<number, Record<(typeof ROUTES)[number], number>> = {
  0: { free: 200, basic: 402, pro: 402 },
  1: { free: 200, basic: 200, pro: 402 },
  2: { free: 200, basic: 200, pro: 200 },
};

describe('entitlements: @RequiresPackage and PaymentGuard', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo);

  it.each([0, 1, 2])('package %i gets exactly the routes it paid for', async (packageId) => {
    const caller = await createTestCaller(t.app, packageId);
    for (const route of ROUTES) {
      const response = await t.app.inject({
        method: 'GET',
        url: `/content/${route}`,
        headers: caller.headers,
      });
      expect({ route, status: response.statusCode }).toEqual({ route, status: EXPECTED[packageId][route] });
    }
  });

  it('answers 401 on every content route without a token', async () => {
    for (const route of ROUTES) {
      const response = await t.app.inject({ method: 'GET', url: `/content/${route}` });
      expect({ route, status: response.statusCode }).toEqual({ route, status: 401 });
    }
  });

  it('explains a 402: required and current package, and where to buy', async () => {
    const caller = await createTestCaller(t.app, 'basic');
    const response = await t.app.inject({ method: 'GET', url: '/content/pro', headers: caller.headers });
    expect(response.statusCode).toBe(402);
    expect(response.json()).toEqual({
      statusCode: 402,
      error: 'Payment Required',
      code: 'PAYMENTS.PACKAGE_REQUIRED',
      message: expect.any(String),
      requiredPackage: 'pro',
      currentPackage: 'basic',
      checkout: '/payments/checkout',
    });
  });

  it('counts a caller with no user item as package 0', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/content/basic',
      headers: bearer(await devToken(uniqueEmail('unregistered'))),
    });
    expect(response.statusCode).toBe(402);
    expect(response.json()).toMatchObject({ currentPackage: 'none', requiredPackage: 'basic' });
  });

  it('hands the caller and their package to the handler', async () => {
    const caller = await createTestCaller(t.app, 'pro');
    const response = await t.app.inject({ method: 'GET', url: '/content/pro', headers: caller.headers });
    expect(response.json()).toEqual({ content: 'pro', email: caller.email, package: 'pro' });
  });

  it('lets an upgrade through setUserPackage in on the next request of the same instance', async () => {
    const caller = await createTestCaller(t.app, 'basic');
    const before = await t.app.inject({ method: 'GET', url: '/content/pro', headers: caller.headers });
    expect(before.statusCode).toBe(402); // and now cached as basic
    await t.app.get(UsersRepository).setUserPackage(caller.email, 2);
    const after = await t.app.inject({ method: 'GET', url: '/content/pro', headers: caller.headers });
    expect(after.statusCode).toBe(200);
  });
});
