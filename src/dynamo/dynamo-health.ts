import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppConfig } from '../config/app-config.js';
import { InjectDynamo } from './dynamo.tokens.js';

/** Readiness probe: DynamoDB answers for the users table. */
@Injectable()
export class DynamoHealth {
  private readonly tableName: string;

  constructor(
    @InjectDynamo() private readonly dynamo: DynamoDBDocumentClient,
    config: ConfigService<AppConfig, true>,
  ) {
    this.tableName = config.get('dynamo', { infer: true }).tableName;
  }

  /** Resolves when the users table is reachable; rejects with the SDK's error otherwise. */
  async check(): Promise<void> {
    await this.dynamo.send(new DescribeTableCommand({ TableName: this.tableName }));
  }
}
