import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppConfig } from '../config/app-config.js';
import { DynamoEndpoint } from './dynamo-endpoint.js';
import { InjectDynamo } from './dynamo.tokens.js';
import { ensureUsersTable, TableSetupError, verifyUsersTable } from './tables.js';

/** At start: creates the tables on the embedded engine, and checks the users table in every mode. */
@Injectable()
export class DynamoTablesBootstrap implements OnModuleInit {
  private readonly logger = new Logger('DynamoDB');

  constructor(
    @InjectDynamo() private readonly dynamo: DynamoDBDocumentClient,
    private readonly endpoint: DynamoEndpoint,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onModuleInit(): Promise<void> {
    const { tableName } = this.config.get('dynamo', { infer: true });
    try {
      if (this.endpoint.local) {
        await ensureUsersTable(this.dynamo, tableName, { aws: false, log: (line) => this.logger.log(line) });
      } else {
        await verifyUsersTable(this.dynamo, tableName);
      }
    } catch (error) {
      if (error instanceof TableSetupError) throw error;
      const where = this.endpoint.url ?? 'AWS DynamoDB';
      throw new TableSetupError(
        `checking table "${tableName}" at ${where} failed: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }
}
