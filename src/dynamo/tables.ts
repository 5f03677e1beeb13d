import {
  CreateTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  waitUntilTableExists,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';

/** Thrown when a table packgate needs is missing or has the wrong shape. */
export class TableSetupError extends Error {
  override name = 'TableSetupError';
}

export interface TableSetupOptions {
  /** On real AWS: also point-in-time recovery and deletion protection. */
  aws: boolean;
  log?: (line: string) => void;
}

/**
 * Creates the users table if it is missing, idempotently. The shape is the tutorial's: hash key
 * `email` (S) and nothing else; `package_id` is an ordinary attribute.
 */
export async function ensureUsersTable(
  client: DynamoDBClient,
  tableName: string,
  options: TableSetupOptions,
): Promise<void> {
  const log = options.log ?? (() => undefined);
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'email', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: options.aws || undefined,
      }),
    );
    log(`created table ${tableName}`);
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    log(`table ${tableName} exists`);
  }
  await waitUntilTableExists({ client, maxWaitTime: 120 }, { TableName: tableName });
  if (options.aws) await protectTable(client, tableName, log);
  await verifyUsersTable(client, tableName);
}

/** Fails with a clear message unless `tableName` exists with hash key `email` (S) alone. */
export async function verifyUsersTable(client: DynamoDBClient, tableName: string): Promise<void> {
  let table: TableDescription | undefined;
  try {
    table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    throw new TableSetupError(
      `DynamoDB table "${tableName}" does not exist. Create it with \`npm run db:init\`, ` +
        'or set DYNAMO_TABLE_NAME to the users table you have.',
    );
  }
  const keys = (table?.KeySchema ?? []).map((key) => `${key.AttributeName} (${key.KeyType})`);
  const emailType = table?.AttributeDefinitions?.find((def) => def.AttributeName === 'email')?.AttributeType;
  const hashKeyIsEmail = keys.length === 1 && keys[0] === 'email (HASH)' && emailType === 'S';
  if (!hashKeyIsEmail) {
    throw new TableSetupError(
      `DynamoDB table "${tableName}" has key ${keys.join(', ') || 'none'}${emailType ? ` with email as ${emailType}` : ''}; ` +
        'packgate needs the hash key "email" of type S and no sort key. Point DYNAMO_TABLE_NAME at another ' +
        'table, or let `npm run db:init` create a new one under a new name.',
    );
  }
}

async function protectTable(client: DynamoDBClient, tableName: string, log: (line: string) => void) {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (!Table?.DeletionProtectionEnabled) {
    await client.send(new UpdateTableCommand({ TableName: tableName, DeletionProtectionEnabled: true }));
    await waitUntilTableExists({ client, maxWaitTime: 120 }, { TableName: tableName });
  }
  const backups = await client.send(new DescribeContinuousBackupsCommand({ TableName: tableName }));
  const pitr =
    backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus;
  if (pitr !== 'ENABLED') {
    await client.send(
      new UpdateContinuousBackupsCommand({
        TableName: tableName,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
  }
  log(`deletion protection and point-in-time recovery are on for ${tableName}`);
}
