import { GetCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ledgerTableOf } from './test-app.js';
import type { TestDynamo } from './test-dynamo.js';
import { bearer, devToken } from './tokens.js';

type Item = Record<string, unknown>;

const CATALOG_RECORD_KEY = { pk: 'CATALOG', sk: 'PACKAGES' };

/**
 * Reads a test app's users and ledger tables straight from the engine, behind the app's back, so
 * payments tests check what was stored rather than what the app says it stored.
 */
export class LedgerTables {
  constructor(
    private readonly dynamo: TestDynamo,
    /** The test app (or anything naming its users table); read lazily, so a useTestApp() result works. */
    private readonly app: { readonly tableName: string },
  ) {}

  private get usersTable(): string {
    return this.app.tableName;
  }

  /** Every item events and staff wrote to the ledger table (grants, event markers, audit entries). */
  async ledgerItems(): Promise<Item[]> {
    const { Items } = await this.dynamo.client.send(
      new ScanCommand({ TableName: ledgerTableOf(this.usersTable), ConsistentRead: true }),
    );
    // The catalog record is written at start-up, before any event.
    return (Items ?? []).filter((item) => item.pk !== CATALOG_RECORD_KEY.pk);
  }

  /** The package catalog's id→name record, as start-up wrote it. */
  async catalogRecord(): Promise<Record<string, string> | undefined> {
    const item = await this.get(ledgerTableOf(this.usersTable), CATALOG_RECORD_KEY);
    return item?.packages as Record<string, string> | undefined;
  }

  async user(email: string): Promise<Item | undefined> {
    return this.get(this.usersTable, { email });
  }

  /** The stored package_id; 0 when no user item exists. */
  async packageOf(email: string): Promise<number> {
    return Number((await this.user(email))?.package_id ?? 0);
  }

  /** Any item of the ledger table. */
  item(pk: string, sk: string): Promise<Item | undefined> {
    return this.get(ledgerTableOf(this.usersTable), { pk, sk });
  }

  grant(key: string): Promise<Item | undefined> {
    return this.get(ledgerTableOf(this.usersTable), { pk: `GRANT#${key}`, sk: 'GRANT' });
  }

  marker(eventId: string): Promise<Item | undefined> {
    return this.get(ledgerTableOf(this.usersTable), { pk: `EVENT#${eventId}`, sk: 'EVENT' });
  }

  /**
   * Sets `package_id` as the tutorial's boto3 `set_user_package`, the console or a script do: directly,
   * with no version bump (the tutorial writes a string).
   */
  async writePackageByHand(email: string, packageId: number | string): Promise<void> {
    await this.dynamo.client.send(
      new UpdateCommand({
        TableName: this.usersTable,
        Key: { email },
        UpdateExpression: 'SET package_id = :p',
        ExpressionAttributeValues: { ':p': packageId },
      }),
    );
  }

  /** The dead letter of a parked event, found through its pointer item. */
  async unapplied(eventId: string): Promise<Item | undefined> {
    const pointer = await this.get(ledgerTableOf(this.usersTable), {
      pk: `UNAPPLIED#${eventId}`,
      sk: 'UNAPPLIED',
    });
    if (!pointer) return undefined;
    return this.get(ledgerTableOf(this.usersTable), { pk: 'UNAPPLIED', sk: pointer.listed_sk });
  }

  /** Audit entries under `AUDIT#<subject>`, oldest first: a user's email, or `DISMISSED` for dismissals. */
  async audit(subject: string): Promise<Item[]> {
    const { Items } = await this.dynamo.client.send(
      new QueryCommand({
        TableName: ledgerTableOf(this.usersTable),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `AUDIT#${subject}` },
        ConsistentRead: true,
      }),
    );
    return Items ?? [];
  }

  private async get(TableName: string, Key: Item): Promise<Item | undefined> {
    const { Item } = await this.dynamo.client.send(new GetCommand({ TableName, Key, ConsistentRead: true }));
    return Item;
  }
}

/** The status of GET /content/pro for `email`: 200 with pro, 402 without. */
export async function proContentStatus(app: NestFastifyApplication, email: string): Promise<number> {
  const response = await app.inject({
    method: 'GET',
    url: '/content/pro',
    headers: bearer(await devToken(email)),
  });
  return response.statusCode;
}
