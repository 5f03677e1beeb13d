import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppConfig } from '../config/app-config.js';
import { DynamoEndpoint } from './dynamo-endpoint.js';
import { InjectDynamo } from './dynamo.tokens.js';
import { ensureTables, TableSetupError, verifyTables, type TableNames } from './tables.js';

/** At start: creates the tables in local mode, and checks every table in every mode. */
@Injectable()
export class DynamoTablesBootstrap implements OnModuleInit {
  private readonly logger = new Logger('DynamoDB');

  constructor(
    @InjectDynamo() private readonly dynamo: DynamoDBDocumentClient,
    private readonly endpoint: DynamoEndpoint,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onModuleInit(): Promise<void> {
    const names: TableNames = {
      users: this.config.get('dynamo', { infer: true }).tableName,
      ledger: this.config.get('payments', { infer: true }).ledgerTableName,
    };
    try {
      if (this.endpoint.local) {
        await ensureTables(this.dynamo, names, { aws: false, log: (line) => this.logger.log(line) });
      } else {
        await verifyTables(this.dynamo, names);
      }
    } catch (error) {
      if (error instanceof TableSetupError) throw error;
      const where = this.endpoint.url ?? 'AWS DynamoDB';
      throw new TableSetupError(`checking the tables at ${where} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}
