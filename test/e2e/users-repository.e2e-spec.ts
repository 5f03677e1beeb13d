import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { normalizeEmail } from '../../src/common/email.js';
import { UserNotFoundError } from '../../src/users/user.js';
import { UsersRepository } from '../../src/users/users.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

describe('users in DynamoDB', () => {
  const dynamo = useTestDynamo();
  let t: TestApp;
  let users: UsersRepository;
  beforeAll(async () => {
    t = await createTestApp(dynamo);
    users = t.app.get(UsersRepository);
  });
  afterAll(async () => {
    await t.close();
  });

  /** The item as DynamoDB stores it, attribute types included ({ N: '2' }, { S: '2' }). */
  const rawItem = async (email: string) =>
    (
      await dynamo.client.send(
        new GetItemCommand({ TableName: t.tableName, Key: { email: { S: email } }, ConsistentRead: true }),
      )
    ).Item;

  describe('an item written by the tutorial: package_id a string, no timestamps', () => {
    async function tutorialUser(packageId: string) {
      const email = uniqueEmail('tutorial');
      const item = { email, package_id: packageId };
      await dynamo.client.send(new PutCommand({ TableName: t.tableName, Item: item }));
      return { email, headers: bearer(await devToken(email)) };
    }

    it('reads as a number package and null timestamps', async () => {
      const { email, headers } = await tutorialUser('2');
      const response = await t.app.inject({ method: 'GET', url: '/users/me', headers });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ email, packageId: 2, createdAt: null, updatedAt: null });
    });

    it('is kept as it is by a registration', async () => {
      const { email, headers } = await tutorialUser('2');
      const response = await t.app.inject({ method: 'POST', url: '/users/me', headers });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ packageId: 2, createdAt: null });
      expect(await rawItem(email)).toEqual({ email: { S: email }, package_id: { S: '2' } });
    });

    it('gets a number package_id and timestamps from setUserPackage', async () => {
      const { email } = await tutorialUser('2');
      const user = await users.setUserPackage(normalizeEmail(email), 1);
      expect(user).toMatchObject({ email, packageId: 1, createdAt: expect.any(String) });
      expect(await rawItem(email)).toMatchObject({
        package_id: { N: '1' },
        created_at: { S: user.createdAt },
      });
    });
  });

  it('refuses setUserPackage for an unknown email and creates nothing', async () => {
    const email = uniqueEmail('unknown');
    await expect(users.setUserPackage(normalizeEmail(email), 2)).rejects.toThrow(UserNotFoundError);
    expect(await rawItem(email)).toBeUndefined();
  });
});
