import { describe, expect, it } from '@jest/globals';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { createApp } from '../../src/app.factory.js';
import { ConfigError } from '../../src/config/app-config.js';
import { TableSetupError } from '../../src/dynamo/tables.js';
import { createTestTable, testEnv } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';

/** The JSON log lines an app writes while it starts, from createApp's logDestination. */
async function startupLines(env: Record<string, string>) {
  const lines: { level: number; msg: string }[] = [];
  const logDestination = { write: (line: string) => void lines.push(JSON.parse(line)) };
  const app = await createApp({ env: { ...env, LOG_LEVEL: 'info' }, shutdownHooks: false, logDestination });
  await app.close();
  return lines;
}

describe('start-up says its mode in one line', () => {
  const dynamo = useTestDynamo();
  const modeLines = (lines: { level: number; msg: string }[]) =>
    lines.filter((line) => line.msg?.startsWith('packgate mode:'));

  it('warns, outside production, of the development stand-ins in force', async () => {
    const env = testEnv(dynamo, await createTestTable(dynamo), { NODE_ENV: 'development' });
    expect(modeLines(await startupLines(env))).toEqual([
      {
        time: expect.any(Number),
        level: 40,
        msg: 'packgate mode: development — development tokens (HS256, npm run token); not for real users (set NODE_ENV=production)',
      },
    ]);
  });

  it('says production runs none of them', async () => {
    const env = testEnv(dynamo, await createTestTable(dynamo), {
      NODE_ENV: 'production',
      AUTH_DEV_SECRET: '',
      AUTH_ISSUER: 'https://login.example.com/',
      AUTH_AUDIENCE: 'packgate-api',
      AUTH_JWKS_URL: 'https://login.example.com/jwks.json',
    });
    expect(modeLines(await startupLines(env))).toEqual([
      {
        time: expect.any(Number),
        level: 30,
        msg: 'packgate mode: production — no embedded database, no development tokens, no generated webhook secret',
      },
    ]);
  });
});

describe('start-up refuses what cannot work', () => {
  const dynamo = useTestDynamo();
  const start = (env: Record<string, string>) => createApp({ env, shutdownHooks: false });

  it('refuses a bad variable with a ConfigError naming it', async () => {
    const env = testEnv(dynamo, await createTestTable(dynamo), { PORT: 'abc' });
    const failure = start(env);
    await expect(failure).rejects.toThrow(ConfigError);
    await expect(failure).rejects.toThrow(/^PORT /);
  });

  it('refuses a users table that does not exist, pointing at npm run db:init', async () => {
    const failure = start(testEnv(dynamo, `missing-${randomUUID()}`));
    await expect(failure).rejects.toThrow(TableSetupError);
    await expect(failure).rejects.toThrow(/does not exist.*npm run db:init/);
  });

  it('refuses a table keyed on something other than email (S), saying what it found', async () => {
    const tableName = `keyed-on-id-${randomUUID()}`;
    await dynamo.client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const failure = start(testEnv(dynamo, tableName));
    await expect(failure).rejects.toThrow(TableSetupError);
    await expect(failure).rejects.toThrow(
      `"${tableName}" has key id (HASH); packgate needs the hash key "email" of type S`,
    );
  });
});
