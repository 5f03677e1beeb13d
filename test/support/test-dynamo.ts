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

// Set by the e2e project's globalSetup (test/support/dynamo-engines.setup.mjs): one engine per worker.
const SHARED_ENDPOINTS = process.env.PACKGATE_TEST_DYNAMO_ENDPOINTS?.split(',') ?? [];

/** The engine jest started for this worker, if it started any. */
function workerEngineEndpoint(): string | undefined {
  if (SHARED_ENDPOINTS.length === 0) return undefined;
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  return SHARED_ENDPOINTS[(worker - 1) % SHARED_ENDPOINTS.length];
}

/**
 * An in-memory DynamoDB Local for the calling test file: the one jest's globalSetup started for this
 * worker (a worker runs its files one after another), or else, under a config without that setup, one
 * started for this file alone (about 1.5 s) and stopped after it. Tables are unique per app, so files
 * and the tests inside a file never share data.
 */
export function useTestDynamo(): TestDynamo {
  let endpoint: string | undefined;
  let engine: LocalDynamoEngine | undefined;
  let client: DynamoDBDocumentClient | undefined;
  beforeAll(async () => {
    endpoint = workerEngineEndpoint();
    if (!endpoint) {
      engine = await LocalDynamoEngine.start({ dataDir: null, port: 0 });
      endpoint = engine.endpoint;
    }
    client = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint,
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
      if (!endpoint) throw new Error('useTestDynamo(): the engine starts in beforeAll; use it inside tests');
      return endpoint;
    },
    get client() {
      if (!client) throw new Error('useTestDynamo(): the engine starts in beforeAll; use it inside tests');
      return client;
    },
  };
}
