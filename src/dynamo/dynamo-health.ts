import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppConfig } from '../config/app-config.js';
import { InjectDynamo } from './dynamo.tokens.js';

/** Readiness probe: DynamoDB answers for both of packgate's tables, users and ledger. */
@Injectable()
export class DynamoHealth {
  private readonly tableNames: string[];

  constructor(
    @InjectDynamo() private readonly dynamo: DynamoDBDocumentClient,
    config: ConfigService<AppConfig, true>,
  ) {
    this.tableNames = [
      config.get('dynamo', { infer: true }).tableName,
      config.get('payments', { infer: true }).ledgerTableName,
    ];
  }

  /** Resolves when both tables are reachable; rejects with the SDK's error otherwise. */
  async check(): Promise<void> {
    await Promise.all(
      this.tableNames.map((TableName) => this.dynamo.send(new DescribeTableCommand({ TableName }))),
    );
  }
}
