import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadConfig, type AppConfig } from '../config/app-config.js';
import { createDynamoClient } from '../dynamo/dynamo-client.factory.js';
import { leaseLocalEngine } from '../dynamo/shared-local-engine.js';

export interface ScriptContext {
  config: AppConfig;
  dynamo: DynamoDBDocumentClient;
  /** Where the script works, for its first line of output. */
  where: string;
}

/**
 * Runs an operator script against the configured DynamoDB, configured as the app is; in local mode the engine already running for the data folder, or one started for the script.
 */
export async function withDynamo(work: (context: ScriptContext) => Promise<void>): Promise<void> {
  const config = loadConfig(process.env);
  const endpoint = config.dynamo.endpoint;
  const engine = endpoint.kind === 'local' ? await leaseLocalEngine(endpoint.dataDir, endpoint.port) : null;
  const url = engine?.endpoint ?? (endpoint.kind === 'url' ? endpoint.url : undefined);
  const dynamo = createDynamoClient(config.dynamo, url);
  const where = endpoint.kind === 'local' ? `DynamoDB Local (${endpoint.dataDir})` : (url ?? 'AWS DynamoDB');
  try {
    await work({ config, dynamo, where });
  } finally {
    dynamo.destroy();
    await engine?.release();
  }
}
