import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppConfig } from '../../config/app-config.js';
import { DynamoEndpoint } from '../../dynamo/dynamo-endpoint.js';
import { InjectDynamo } from '../../dynamo/dynamo.tokens.js';
import type { CatalogRecord } from './catalog-history.js';
import {
  CatalogRecordRepository,
  CatalogRecordUnavailableError,
  type StoredCatalogRecord,
} from './catalog-record.js';

// One item of the ledger table, beside the grants it gives meaning to.
const RECORD_KEY = { pk: 'CATALOG', sk: 'PACKAGES' };

interface CatalogRecordItem {
  packages: Record<string, string>;
  version: number;
}

@Injectable()
export class DynamoCatalogRecordRepository extends CatalogRecordRepository {
  private readonly tableName: string;

  constructor(
    @InjectDynamo() private readonly dynamo: DynamoDBDocumentClient,
    private readonly endpoint: DynamoEndpoint,
    config: ConfigService<AppConfig, true>,
  ) {
    super();
    this.tableName = config.get('payments', { infer: true }).ledgerTableName;
  }

  async read(): Promise<StoredCatalogRecord | null> {
    const get = new GetCommand({ TableName: this.tableName, Key: RECORD_KEY, ConsistentRead: true });
    let item: CatalogRecordItem | undefined;
    try {
      item = (await this.dynamo.send(get)).Item as CatalogRecordItem | undefined;
    } catch (error) {
      throw this.unavailable('reading', error);
    }
    if (!item) return null;
    const packages = Object.entries(item.packages).map(([id, name]) => [Number(id), name] as const);
    return { packages: new Map(packages), version: item.version };
  }

  async replace(packages: CatalogRecord, expectedVersion: number | null): Promise<boolean> {
    const item = {
      ...RECORD_KEY,
      packages: Object.fromEntries([...packages].map(([id, name]) => [String(id), name])),
      version: (expectedVersion ?? 0) + 1,
      updated_at: new Date().toISOString(),
    };
    const condition =
      expectedVersion === null
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': expectedVersion },
          };
    try {
      await this.dynamo.send(new PutCommand({ TableName: this.tableName, Item: item, ...condition }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw this.unavailable('writing', error);
    }
  }

  private unavailable(doing: string, error: unknown): CatalogRecordUnavailableError {
    const where = this.endpoint.url ?? 'AWS DynamoDB';
    return new CatalogRecordUnavailableError(
      `${doing} the package catalog record in table "${this.tableName}" at ${where} failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
