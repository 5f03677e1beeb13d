/**
 * `npm run db:init` creates the tables packgate needs, idempotently, wherever DYNAMO_ENDPOINT points.
 * On AWS it also turns on point-in-time recovery and deletion protection.
 */
import { ensureTables } from '../dynamo/tables.js';
import { withDynamo } from './with-dynamo.js';

export async function run(): Promise<void> {
  await withDynamo(async ({ config, dynamo, where }) => {
    console.log(`db:init on ${where}`);
    await ensureTables(
      dynamo,
      { users: config.dynamo.tableName, ledger: config.payments.ledgerTableName },
      {
        aws: config.dynamo.endpoint.kind === 'aws',
        log: (line) => console.log(line),
      },
    );
    console.log('db:init done');
  });
}
