import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppConfig } from '../config/app-config.js';
import { measureDynamoCalls } from '../metrics/dynamo-metrics.middleware.js';
import { Metrics } from '../metrics/metrics.js';
import { createDynamoClient } from './dynamo-client.factory.js';
import { DynamoHealth } from './dynamo-health.js';
import { DynamoTablesBootstrap } from './dynamo-tables.bootstrap.js';
import { DYNAMO, InjectDynamo } from './dynamo.tokens.js';
import { DynamoEndpoint } from './dynamo-endpoint.js';

/** Owns the connection to DynamoDB: endpoint (embedded or remote), client, table checks, health. */
@Module({
  providers: [
    {
      provide: DynamoEndpoint,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => DynamoEndpoint.open(config.get('dynamo')),
    },
    {
      provide: DYNAMO,
      inject: [ConfigService, DynamoEndpoint, Metrics],
      useFactory: (config: ConfigService<AppConfig, true>, endpoint: DynamoEndpoint, metrics: Metrics) => {
        const client = createDynamoClient(config.get('dynamo'), endpoint.url);
        measureDynamoCalls(client, metrics);
        return client;
      },
    },
    DynamoTablesBootstrap,
    DynamoHealth,
  ],
  exports: [DYNAMO, DynamoEndpoint, DynamoHealth],
})
export class DynamoModule implements OnApplicationShutdown {
  constructor(@InjectDynamo() private readonly dynamo: DynamoDBDocumentClient) {}

  onApplicationShutdown(): void {
    this.dynamo.destroy();
  }
}
