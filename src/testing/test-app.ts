import { randomBytes, randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, type CreateAppOptions } from '../app.factory.js';
import { LocalDynamoEngine } from '../dynamo/local-engine.js';
import { ensureTables } from '../dynamo/tables.js';

export interface TestAppOptions extends Omit<CreateAppOptions, 'env' | 'shutdownHooks'> {
  /** Variables on top of the test defaults (PACKAGES, your own); `process.env` is not read. */
  env?: Record<string, string | undefined>;
}

/**
 * Your app as production assembles it, on a DynamoDB Local of its own (in memory, a free port, fresh
 * tables) with development tokens for createTestCaller, ready for `app.inject()`. `app.close()` stops
 * the engine too. Needs Java 17+ on the PATH, like `npm start`.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<NestFastifyApplication> {
  const engine = await LocalDynamoEngine.start({ dataDir: null, port: 0 });
  const tables = { users: `users-${randomUUID()}`, ledger: `ledger-${randomUUID()}` };
  const client = new DynamoDBClient({
    endpoint: engine.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'packgate', secretAccessKey: 'local' },
  });
  try {
    await ensureTables(client, tables, { aws: false });
    const app = await createApp({
      ...options,
      shutdownHooks: false,
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DYNAMO_ENDPOINT: engine.endpoint,
        DYNAMO_TABLE_NAME: tables.users,
        DYNAMO_LEDGER_TABLE_NAME: tables.ledger,
        AUTH_DEV_SECRET: randomBytes(32).toString('base64url'),
        ...options.env,
      },
    });
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onClose', () => engine.stop());
    await app.getHttpAdapter().getInstance().ready();
    return app;
  } catch (error) {
    await engine.stop();
    throw error;
  } finally {
    client.destroy();
  }
}
