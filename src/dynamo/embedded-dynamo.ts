import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { LocalDynamoEngine } from './local-engine.js';

/**
 * The DynamoDB endpoint the app talks to. In `local` mode it owns the DynamoDB Local child process,
 * started before any client exists and stopped when the app shuts down.
 */
export class DynamoEndpoint implements OnApplicationShutdown {
  private constructor(
    readonly url: string | undefined,
    private readonly engine: LocalDynamoEngine | null,
  ) {}

  static async open(dynamo: AppConfig['dynamo']): Promise<DynamoEndpoint> {
    const endpoint = dynamo.endpoint;
    if (endpoint.kind === 'aws') return new DynamoEndpoint(undefined, null);
    if (endpoint.kind === 'url') return new DynamoEndpoint(endpoint.url, null);
    const started = Date.now();
    const engine = await LocalDynamoEngine.start({ dataDir: endpoint.dataDir, port: endpoint.port });
    new Logger('DynamoDB').log(
      `DynamoDB Local on ${engine.endpoint} (data in ${endpoint.dataDir}), up in ${Date.now() - started} ms`,
    );
    return new DynamoEndpoint(engine.endpoint, engine);
  }

  get embedded(): boolean {
    return this.engine !== null;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.engine?.stop();
  }
}
