import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../../config/app-config.js';
import { StorageRejectedError } from '../../common/domain-error.js';
import type { Email } from '../../common/email.js';
import { batchGetAll } from '../../dynamo/batch-get.js';
import { isPermanentCancellation, withStorageErrors } from '../../dynamo/dynamo-errors.js';
import { InjectDynamo } from '../../dynamo/dynamo.tokens.js';
import { TransactionCancelledError, transactWrite, type TransactionWrite } from '../../dynamo/transaction.js';
import { UsersRepository } from '../../users/users.repository.js';
import { markerKey, markerWrite } from './event-marker.js';
import type { Grant } from './grant.js';
import { LedgerRepository, type AuditEntry, type CommitOutcome, type LedgerCommit } from './ledger.js';
import {
  unappliedListKey,
  unappliedPointerKey,
  type UnappliedEventRef,
} from '../unapplied/unapplied-keys.js';

const grantKey = (key: string) => ({ pk: `GRANT#${key}`, sk: 'GRANT' });
const paymentKey = (paymentIntent: string) => ({ pk: `PAYMENT#${paymentIntent}`, sk: 'PAYMENT' });
const auditPk = (email: Email) => `AUDIT#${email}`;

type GrantItem = Omit<Grant, 'key'> & { pk: string; sk: string; grant_key: string; updated_at: string };

@Injectable()
export class DynamoLedgerRepository extends LedgerRepository {
  private readonly tableName: string;

  constructor(
    @InjectDynamo() private readonly dynamo: DynamoDBDocumentClient,
    private readonly users: UsersRepository,
    config: ConfigService<AppConfig, true>,
  ) {
    super();
    this.tableName = config.get('payments', { infer: true }).ledgerTableName;
  }

  async getGrant(key: string): Promise<Grant | null> {
    const { Item } = await this.guard(() =>
      this.dynamo.send(
        new GetCommand({ TableName: this.tableName, Key: grantKey(key), ConsistentRead: true }),
      ),
    );
    return Item ? toGrant(Item as GrantItem) : null;
  }

  async grantsOf(keys: string[]): Promise<Grant[]> {
    // A key asked twice in one BatchGetItem is a ValidationException.
    const unique = [...new Set(keys)].map(grantKey);
    const items = await this.guard(() => batchGetAll(this.dynamo, this.tableName, unique));
    return items.map((item) => toGrant(item as GrantItem));
  }

  async commit(commit: LedgerCommit): Promise<CommitOutcome> {
    const now = new Date();
    const writes: TransactionWrite[] = [];
    if (commit.event)
      writes.push(markerWrite(this.tableName, commit.event, now), ...this.deadLetterDeletes(commit.event));
    for (const { grant, expectedVersion } of commit.grants)
      writes.push(this.grantWrite(grant, expectedVersion, now));
    if (commit.user) writes.push(this.users.packageWrite(commit.user));
    if (commit.audit) writes.push(this.auditWrite(commit.audit));
    for (const link of commit.links ?? []) {
      writes.push({
        Put: {
          TableName: this.tableName,
          Item: { ...paymentKey(link.paymentIntent), grant_key: link.grantKey },
        },
      });
    }
    try {
      await this.guard(() => transactWrite(this.dynamo, writes));
      return 'committed';
    } catch (error) {
      if (!(error instanceof TransactionCancelledError)) throw error;
      if (isPermanentCancellation(error.reasons)) {
        throw new StorageRejectedError(
          `DynamoDB refused the ledger transaction: ${error.message}`,
          {},
          { cause: error },
        );
      }
      // The marker commits only with its writes: if it exists, this event's effect is already in place
      // (a duplicate delivery, or our own earlier attempt whose answer was lost).
      if (commit.event && error.conditionFailedAt(0)) return 'duplicate';
      return 'conflict';
    }
  }

  async linkOf(paymentIntent: string): Promise<string | null> {
    const { Item } = await this.guard(() =>
      this.dynamo.send(
        new GetCommand({ TableName: this.tableName, Key: paymentKey(paymentIntent), ConsistentRead: true }),
      ),
    );
    return typeof Item?.grant_key === 'string' ? Item.grant_key : null;
  }

  async isProcessed(eventId: string): Promise<boolean> {
    const { Item } = await this.guard(() =>
      this.dynamo.send(
        new GetCommand({ TableName: this.tableName, Key: markerKey(eventId), ConsistentRead: true }),
      ),
    );
    return Item !== undefined;
  }

  async history(email: Email, limit: number): Promise<AuditEntry[]> {
    const { Items } = await this.guard(() =>
      this.dynamo.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': auditPk(email) },
          ScanIndexForward: false,
          Limit: limit,
          ConsistentRead: true,
        }),
      ),
    );
    return (Items ?? []).map(({ email: e, from, to, source, reason, at }) => ({
      email: e,
      from,
      to,
      source,
      reason,
      at,
    }));
  }

  private grantWrite(grant: Grant, expectedVersion: number, now: Date): TransactionWrite {
    const { key, version: _version, ...facts } = grant;
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...grantKey(key),
          grant_key: key,
          ...facts,
          version: expectedVersion + 1,
          updated_at: now.toISOString(),
        },
        ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
        ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
      },
    };
  }

  /** Applying an event removes its dead letter, if it was parked (deleting nothing is no error). */
  private deadLetterDeletes(event: UnappliedEventRef): TransactionWrite[] {
    return [unappliedListKey(event), unappliedPointerKey(event.id)].map((Key) => ({
      Delete: { TableName: this.tableName, Key },
    }));
  }

  private auditWrite(entry: AuditEntry): TransactionWrite {
    return {
      Put: {
        TableName: this.tableName,
        Item: { pk: auditPk(entry.email), sk: `${entry.at}#${randomUUID()}`, ...entry },
      },
    };
  }

  private guard<T>(operation: () => Promise<T>): Promise<T> {
    return withStorageErrors(operation, 'The payments ledger is unavailable; try again shortly.', [
      TransactionCancelledError,
    ]);
  }
}

function toGrant(item: GrantItem): Grant {
  const { pk: _pk, sk: _sk, grant_key, updated_at: _updated, ...facts } = item;
  return { ...facts, key: grant_key, disputes: facts.disputes ?? {}, version: facts.version ?? 0 };
}
