import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { normalizeEmail, type Email } from '../../src/common/email.js';
import { TransactionCancelledError, transactWrite } from '../../src/dynamo/transaction.js';
import { UserNotFoundError, type StoredPackageId } from '../../src/users/user.js';
import { UsersRepository } from '../../src/users/users.repository.js';
import { LedgerTables } from '../support/ledger-items.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

describe('users in DynamoDB', () => {
  const dynamo = useTestDynamo();
  let t: TestApp;
  let users: UsersRepository;
  const tables = new LedgerTables(dynamo, {
    get tableName() {
      return t.tableName;
    },
  });
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
      expect(response.json()).toEqual({
        email,
        packageId: 2,
        createdAt: null,
        updatedAt: null,
        subscription: null,
      });
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

  describe("the ledger's package write: conditional on the version and on package_id as read", () => {
    /** The ledger's write of package 1, expecting `stored` as package_id, committed on its own. */
    async function ledgerWrite(email: Email, stored: StoredPackageId) {
      const state = await users.getPackageState(email);
      const write = users.packageWrite({
        email,
        packageId: 1,
        grants: { pi_1: 1 },
        grantUntil: {},
        expectedVersion: state!.version,
        expectedStoredPackageId: stored,
      });
      await transactWrite(dynamo.client, [write]);
    }

    it("succeeds on a tutorial item when given package_id as stored (the string '2')", async () => {
      const email = normalizeEmail(uniqueEmail('as-stored'));
      await tables.writePackageByHand(email, '2');
      expect((await users.getPackageState(email))?.storedPackageId).toBe('2');
      await expect(ledgerWrite(email, 2)).rejects.toThrow(TransactionCancelledError); // 2 is not '2'
      await ledgerWrite(email, '2');
      expect(await rawItem(email)).toMatchObject({ package_id: { N: '1' }, version: { N: '1' } });
    });

    it('fails when package_id was written from outside since it was read, version unchanged', async () => {
      const email = normalizeEmail(uniqueEmail('raced'));
      await tables.writePackageByHand(email, 0);
      await ledgerWrite(email, 0);
      const read = await users.getPackageState(email);
      await tables.writePackageByHand(email, 2); // the tutorial's set_user_package, between the ledger's read and write
      await expect(ledgerWrite(email, read!.storedPackageId)).rejects.toThrow(TransactionCancelledError);
      expect(await rawItem(email)).toMatchObject({ package_id: { N: '2' }, version: { N: '1' } });
    });
  });
});
