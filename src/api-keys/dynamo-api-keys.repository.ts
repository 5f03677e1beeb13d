import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppConfig } from '../config/app-config.js';
import type { Email } from '../common/email.js';
import { withStorageErrors } from '../dynamo/dynamo-errors.js';
import { InjectDynamo } from '../dynamo/dynamo.tokens.js';
import { TransactionCancelledError, transactWrite, type TransactionWrite } from '../dynamo/transaction.js';
import { ApiKeyLimitReachedError } from './api-key.errors.js';
import {
  ApiKeysRepository,
  type ApiKeyOwner,
  type ApiKeyRevoker,
  type ApiKeySummary,
  type NewApiKey,
} from './api-keys.repository.js';

// In the ledger table, beside the grants: a lookup item per key hash, and per user a partition with
// each key's listing, a count (the per-user maximum is a condition on it) and an audit trail.
const lookupKey = (hash: string) => ({ pk: `APIKEY#${hash}`, sk: 'APIKEY' });
const userPk = (email: Email) => `APIKEYS#${email}`;
const listingKey = (email: Email, id: string) => ({ pk: userPk(email), sk: `KEY#${id}` });
const countKey = (email: Email) => ({ pk: userPk(email), sk: 'COUNT' });

@Injectable()
export class DynamoApiKeysRepository extends ApiKeysRepository {
  private readonly table: string;

  constructor(
    @InjectDynamo() private readonly dynamo: DynamoDBDocumentClient,
    config: ConfigService<AppConfig, true>,
  ) {
    super();
    this.table = config.get('payments', { infer: true }).ledgerTableName;
  }

  async create(key: NewApiKey, max: number): Promise<void> {
    const { id, email, name, prefix, hash, createdAt } = key;
    try {
      await this.guard(() =>
        transactWrite(this.dynamo, [
          {
            Update: {
              TableName: this.table,
              Key: countKey(email),
              UpdateExpression: 'ADD n :one',
              ConditionExpression: 'attribute_not_exists(n) OR n < :max',
              ExpressionAttributeValues: { ':one': 1, ':max': max },
            },
          },
          this.put({
            ...listingKey(email, id),
            key_id: id,
            name,
            prefix,
            key_hash: hash,
            created_at: createdAt,
          }),
          this.put({ ...lookupKey(hash), key_id: id, email, key_hash: hash, created_at: createdAt }),
          this.audit(email, { action: 'created', key_id: id, by: 'owner', at: createdAt }),
        ]),
      );
    } catch (error) {
      if (error instanceof TransactionCancelledError && error.conditionFailedAt(0)) {
        throw new ApiKeyLimitReachedError(max);
      }
      throw error;
    }
  }

  async list(email: Email): Promise<ApiKeySummary[]> {
    const { Items } = await this.guard(() =>
      this.dynamo.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :key)',
          ExpressionAttributeValues: { ':pk': userPk(email), ':key': 'KEY#' },
          ConsistentRead: true,
        }),
      ),
    );
    return (Items ?? [])
      .map((item) => ({
        id: item.key_id as string,
        name: item.name as string,
        prefix: item.prefix as string,
        createdAt: item.created_at as string,
        lastUsedAt: (item.last_used_at as string | undefined) ?? null,
      }))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async findByHash(hash: string): Promise<ApiKeyOwner | null> {
    // Strongly consistent: a key is used right after it is shown, and a miss is remembered.
    const { Item } = await this.guard(() =>
      this.dynamo.send(new GetCommand({ TableName: this.table, Key: lookupKey(hash), ConsistentRead: true })),
    );
    if (!Item) return null;
    return { id: Item.key_id as string, email: Item.email as Email, hash: Item.key_hash as string };
  }

  async revoke(email: Email, id: string, by: ApiKeyRevoker): Promise<string | null> {
    const { Item } = await this.guard(() =>
      this.dynamo.send(
        new GetCommand({ TableName: this.table, Key: listingKey(email, id), ConsistentRead: true }),
      ),
    );
    if (!Item) return null;
    const hash = Item.key_hash as string;
    const at = new Date().toISOString();
    const staff = by.type === 'staff' ? { staff_email: by.staffEmail } : {};
    try {
      await this.guard(() =>
        transactWrite(this.dynamo, [
          {
            Delete: {
              TableName: this.table,
              Key: listingKey(email, id),
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          { Delete: { TableName: this.table, Key: lookupKey(hash) } },
          {
            Update: {
              TableName: this.table,
              Key: countKey(email),
              UpdateExpression: 'ADD n :minusOne',
              ExpressionAttributeValues: { ':minusOne': -1 },
            },
          },
          this.audit(email, { action: 'revoked', key_id: id, by: by.type, ...staff, at }),
        ]),
      );
    } catch (error) {
      // Revoked by someone else in between: there is no such key any more.
      if (error instanceof TransactionCancelledError && error.conditionFailedAt(0)) return null;
      throw error;
    }
    return hash;
  }

  async touch(owner: ApiKeyOwner, at: string): Promise<void> {
    try {
      await this.guard(() =>
        this.dynamo.send(
          new UpdateCommand({
            TableName: this.table,
            Key: listingKey(owner.email, owner.id),
            UpdateExpression: 'SET last_used_at = :at',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':at': at },
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private put(item: Record<string, unknown>): TransactionWrite {
    return { Put: { TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
  }

  private audit(email: Email, entry: Record<string, unknown> & { at: string }): TransactionWrite {
    return {
      Put: {
        TableName: this.table,
        Item: { pk: userPk(email), sk: `AUDIT#${entry.at}#${randomUUID()}`, ...entry },
      },
    };
  }

  private guard<T>(operation: () => Promise<T>): Promise<T> {
    return withStorageErrors(operation, UNAVAILABLE, [
      TransactionCancelledError,
      ConditionalCheckFailedException,
    ]);
  }
}

const UNAVAILABLE = 'The API keys are unavailable; try again shortly.';
