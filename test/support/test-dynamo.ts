import { afterAll, beforeAll } from '@jest/globals';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LocalDynamoEngine } from '../../src/dynamo/local-engine.js';

export interface TestDynamo {
  /** http://127.0.0.1:<port> of this file's engine; available inside tests and beforeAll hooks. */
  readonly endpoint: string;
  /** A document client of the engine, for arranging and checking data behind the app's back. */
  readonly client: DynamoDBDocumentClient;
}

/**
 * Starts an in-memory DynamoDB Local, on a free port of its own, for the calling test file and stops
 * it after. Jest's globalSetup cannot load this ESM TypeScript project, so each file owns an engine
 * (about 1 s to start); tables are still unique per app so tests inside a file never share data.
 */
export function useTestDynamo(): TestDynamo {
  let engine: LocalDynamoEngine | undefined;
  let client: DynamoDBDocumentClient | undefined;
  beforeAll(async () => {
    engine = await LocalDynamoEngine.start({ dataDir: null, port: 0 });
    client = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: engine.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'packgate', secretAccessKey: 'local' },
      }),
    );
  }, 60_000);
  afterAll(async () => {
    client?.destroy();
    await engine?.stop();
  });
  return {
    get endpoint() {
      if (!engine) throw new Error('useTestDynamo(): the engine starts in beforeAll; use it inside tests');
      return engine.endpoint;
    },
    get client() {
      if (!client) throw new Error('useTestDynamo(): the engine starts in beforeAll; use it inside tests');
      return client;
    },
  };
}
