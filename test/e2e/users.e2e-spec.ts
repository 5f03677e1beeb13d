import { describe, expect, it } from '@jest/globals';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { normalizeEmail } from '../../src/common/email.js';
import { UsersRepository } from '../../src/users/users.repository.js';
import { createTestApp, useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

describe('users', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo);

  async function as(email: string) {
    const headers = bearer(await devToken(email));
    return {
      register: (payload?: object) => t.app.inject({ method: 'POST', url: '/users/me', headers, payload }),
      me: () => t.app.inject({ method: 'GET', url: '/users/me', headers }),
    };
  }
  const storedItem = async (email: string) =>
    (
      await dynamo.client.send(
        new GetCommand({ TableName: t.tableName, Key: { email }, ConsistentRead: true }),
      )
    ).Item;
  const allItems = async (tableName: string) =>
    (await dynamo.client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items;

  it('registers the caller once, then answers 200 with the same user', async () => {
    const email = uniqueEmail();
    const caller = await as(email);
    const first = await caller.register();
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ email, packageId: 0 });
    const second = await caller.register();
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
    expect(await storedItem(email)).toMatchObject({ email, package_id: 0 });
  });

  it('makes exactly one user of 50 concurrent registrations', async () => {
    const own = await createTestApp(dynamo);
    try {
      const headers = bearer(await devToken(uniqueEmail('race')));
      const responses = await Promise.all(
        Array.from({ length: 50 }, () => own.app.inject({ method: 'POST', url: '/users/me', headers })),
      );
      const statuses = responses.map((response) => response.statusCode);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 200)).toHaveLength(49);
      expect(new Set(responses.map((response) => response.body)).size).toBe(1);
      expect(await allItems(own.tableName)).toHaveLength(1);
    } finally {
      await own.close();
    }
  });

  it('makes one user of case and white-space variants of the email claim', async () => {
    const own = await createTestApp(dynamo);
    try {
      const local = uniqueEmail('bob').split('@')[0];
      const variants = [`${local.toUpperCase()}@Example.com`, ` ${local}@EXAMPLE.com `];
      const responses = [];
      for (const variant of variants) {
        const headers = bearer(await devToken(variant));
        responses.push(await own.app.inject({ method: 'POST', url: '/users/me', headers }));
      }
      expect(responses.map((response) => response.statusCode)).toEqual([201, 200]);
      expect(responses.map((response) => response.json())).toEqual([
        expect.objectContaining({ email: `${local}@example.com` }),
        expect.objectContaining({ email: `${local}@example.com` }),
      ]);
      expect(await allItems(own.tableName)).toEqual([
        expect.objectContaining({ email: `${local}@example.com` }),
      ]);
    } finally {
      await own.close();
    }
  });

  it('answers GET /users/me with 404 before registration and the user after', async () => {
    const email = uniqueEmail();
    const caller = await as(email);
    const before = await caller.me();
    expect(before.statusCode).toBe(404);
    expect(before.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'USERS.NOT_FOUND',
      message: expect.any(String),
      email,
    });
    await caller.register();
    const after = await caller.me();
    expect(after.statusCode).toBe(200);
    expect(Object.keys(after.json()).sort()).toEqual([
      'createdAt',
      'email',
      'packageId',
      'subscription',
      'updatedAt',
    ]);
    expect(after.json()).toEqual({
      email,
      packageId: 0,
      subscription: null,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('never resets the package of a registered user', async () => {
    const email = uniqueEmail();
    const caller = await as(email);
    expect((await caller.register()).statusCode).toBe(201);
    await t.app.get(UsersRepository).setUserPackage(normalizeEmail(email), 2);
    const again = await caller.register();
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ email, packageId: 2 });
    expect(await storedItem(email)).toMatchObject({ package_id: 2 });
  });

  describe('a registration body', () => {
    it.each([{ package_id: 2 }, { packageId: 5 }])(
      '%j is refused with 400 and nothing is written',
      async (body) => {
        const email = uniqueEmail();
        const response = await (await as(email)).register(body);
        expect(response.statusCode).toBe(400);
        expect(response.json()).toMatchObject({
          statusCode: 400,
          error: 'Bad Request',
          code: 'REQUEST.INVALID',
        });
        expect(await storedItem(email)).toBeUndefined();
      },
    );

    it('leaves a registered user unchanged when refused', async () => {
      const email = uniqueEmail();
      const caller = await as(email);
      await caller.register();
      const before = await storedItem(email);
      expect((await caller.register({ package_id: 2 })).statusCode).toBe(400);
      expect(await storedItem(email)).toEqual(before);
    });

    it('that is not JSON gets a 400 JSON error body', async () => {
      const headers = { ...bearer(await devToken(uniqueEmail())), 'content-type': 'application/json' };
      const response = await t.app.inject({
        method: 'POST',
        url: '/users/me',
        headers,
        payload: '{"package_id":',
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        code: 'REQUEST.INVALID',
      });
    });
  });
});
