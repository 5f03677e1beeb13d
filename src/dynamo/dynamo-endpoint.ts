import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { leaseLocalEngine, type LocalEngineLease } from './shared-local-engine.js';

/**
 * The DynamoDB endpoint the app talks to. In `local` mode it is DynamoDB Local on the data folder,
 * started before any client exists (or found already running) and stopped on shutdown if started here.
 */
export class DynamoEndpoint implements OnApplicationShutdown {
  private constructor(
    readonly url: string | undefined,
    private readonly localEngine: LocalEngineLease | null,
  ) {}

  static async open(dynamo: AppConfig['dynamo']): Promise<DynamoEndpoint> {
    const endpoint = dynamo.endpoint;
    if (endpoint.kind === 'aws') return new DynamoEndpoint(undefined, null);
    if (endpoint.kind === 'url') return new DynamoEndpoint(endpoint.url, null);
    const started = Date.now();
    const lease = await leaseLocalEngine(endpoint.dataDir, endpoint.port);
    new Logger('DynamoDB').log(
      lease.owned
        ? `DynamoDB Local on ${lease.endpoint} (data in ${endpoint.dataDir}), up in ${Date.now() - started} ms`
        : `using the DynamoDB Local already running on ${lease.endpoint} for ${endpoint.dataDir}`,
    );
    return new DynamoEndpoint(lease.endpoint, lease);
  }

  /** Local mode: packgate manages the tables itself. */
  get local(): boolean {
    return this.localEngine !== null;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.localEngine?.release();
  }
}
