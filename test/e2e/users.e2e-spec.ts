import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

describe('users', () => {
  const dynamo = useTestDynamo();
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dynamo);
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers the caller once, then answers 200 with the same user', async () => {
    const email = uniqueEmail();
    const headers = bearer(await devToken(email));
    const first = await t.app.inject({ method: 'POST', url: '/users/me', headers });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ email, packageId: 0 });
    const second = await t.app.inject({ method: 'POST', url: '/users/me', headers });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
    const stored = await dynamo.client.send(new GetCommand({ TableName: t.tableName, Key: { email } }));
    expect(stored.Item).toMatchObject({ email, package_id: 0 });
  });
});
