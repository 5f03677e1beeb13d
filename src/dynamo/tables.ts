import {
  CreateTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';

/** Thrown when a table packgate needs is missing or has the wrong shape. */
export class TableSetupError extends Error {
  override name = 'TableSetupError';
}

/** A table packgate needs: string keys, in order hash then (optionally) range, and its TTL attribute. */
export interface TableSpec {
  name: string;
  hashKey: string;
  rangeKey?: string;
  ttlAttribute?: string;
}

export interface TableNames {
  users: string;
  ledger: string;
}

/** The tutorial's users table: hash key `email` (S) alone; `package_id` is an ordinary attribute. */
export const usersTable = (name: string): TableSpec => ({ name, hashKey: 'email' });

/** Grants, processed-event markers (expiring through TTL) and audit entries of the payments ledger. */
export const ledgerTable = (name: string): TableSpec => ({
  name,
  hashKey: 'pk',
  rangeKey: 'sk',
  ttlAttribute: 'expires_at',
});

const specsOf = (names: TableNames) => [usersTable(names.users), ledgerTable(names.ledger)];

export interface TableSetupOptions {
  /** On real AWS: also point-in-time recovery and deletion protection. */
  aws: boolean;
  log?: (line: string) => void;
}

/** Creates every table packgate needs if it is missing, idempotently, then verifies their shape. */
export async function ensureTables(client: DynamoDBClient, names: TableNames, options: TableSetupOptions) {
  await forEachTable(names, (spec) => ensureTable(client, spec, options));
}

/** Fails with a clear message unless every table exists with the expected keys. */
export async function verifyTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  await forEachTable(names, async (spec) => checkShape(spec, await describeTable(client, spec)));
}

/** All tables at once (start-up waits for the slowest, not the sum); the first failure in table order. */
async function forEachTable(names: TableNames, work: (spec: TableSpec) => Promise<void>): Promise<void> {
  const outcomes = await Promise.allSettled(specsOf(names).map(work));
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
}

async function ensureTable(client: DynamoDBClient, spec: TableSpec, options: TableSetupOptions) {
  const log = options.log ?? (() => undefined);
  // Every start after the first finds its tables: one DescribeTable checks them, nothing is created.
  const found = await findTable(client, spec.name);
  if (found?.TableStatus === 'ACTIVE') {
    log(`table ${spec.name} exists`);
    checkShape(spec, found);
  } else {
    await createTable(client, spec, options, log);
  }
  if (spec.ttlAttribute) await enableTtl(client, spec.name, spec.ttlAttribute);
  if (options.aws) await protectTable(client, spec.name, log);
}

async function createTable(
  client: DynamoDBClient,
  spec: TableSpec,
  options: TableSetupOptions,
  log: (line: string) => void,
) {
  const keys = [
    { AttributeName: spec.hashKey, KeyType: 'HASH' as const },
    ...(spec.rangeKey ? [{ AttributeName: spec.rangeKey, KeyType: 'RANGE' as const }] : []),
  ];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: spec.name,
        AttributeDefinitions: keys.map((key) => ({ AttributeName: key.AttributeName, AttributeType: 'S' })),
        KeySchema: keys,
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: options.aws || undefined,
      }),
    );
    log(`created table ${spec.name}`);
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    log(`table ${spec.name} exists`);
  }
  await waitUntilTableExists({ client, maxWaitTime: 120 }, { TableName: spec.name });
  checkShape(spec, await describeTable(client, spec));
}

/** The table's description; a TableSetupError saying how to create it when there is none. */
async function describeTable(client: DynamoDBClient, spec: TableSpec): Promise<TableDescription> {
  const table = await findTable(client, spec.name);
  if (!table) {
    throw new TableSetupError(
      `DynamoDB table "${spec.name}" does not exist. Create it with \`npm run db:init\`, ` +
        'or point the table name variable (DYNAMO_TABLE_NAME, DYNAMO_LEDGER_TABLE_NAME) at the table you have.',
    );
  }
  return table;
}

async function findTable(client: DynamoDBClient, name: string): Promise<TableDescription | null> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table ?? null;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return null;
    throw error;
  }
}

function checkShape(spec: TableSpec, table: TableDescription): void {
  const typeOf = (name: string) =>
    table.AttributeDefinitions?.find((def) => def.AttributeName === name)?.AttributeType;
  const found = (table.KeySchema ?? []).map((key) => `${key.AttributeName} (${key.KeyType})`);
  const expected = [`${spec.hashKey} (HASH)`, ...(spec.rangeKey ? [`${spec.rangeKey} (RANGE)`] : [])];
  const keysMatch =
    found.join() === expected.join() && [spec.hashKey, spec.rangeKey].every((k) => !k || typeOf(k) === 'S');
  if (!keysMatch) {
    const wanted = spec.rangeKey
      ? `the hash key "${spec.hashKey}" and the sort key "${spec.rangeKey}", both of type S`
      : `the hash key "${spec.hashKey}" of type S and no sort key`;
    const emailType = typeOf(spec.hashKey);
    throw new TableSetupError(
      `DynamoDB table "${spec.name}" has key ${found.join(', ') || 'none'}${emailType && emailType !== 'S' ? ` with ${spec.hashKey} as ${emailType}` : ''}; ` +
        `packgate needs ${wanted}. Point the table name variable at another table, or let ` +
        '`npm run db:init` create a new one under a new name.',
    );
  }
}

async function enableTtl(client: DynamoDBClient, tableName: string, attribute: string) {
  const { TimeToLiveDescription } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  );
  if (
    TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED' ||
    TimeToLiveDescription?.TimeToLiveStatus === 'ENABLING'
  ) {
    return;
  }
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
    }),
  );
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
