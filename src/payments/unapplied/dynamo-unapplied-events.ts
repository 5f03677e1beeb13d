import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  DependencyUnavailableError,
  InvalidRequestError,
  StorageRejectedError,
} from '../../common/domain-error.js';
import type { AppConfig } from '../../config/app-config.js';
import { isPermanentCancellation, withStorageErrors } from '../../dynamo/dynamo-errors.js';
import { InjectDynamo } from '../../dynamo/dynamo.tokens.js';
import { TransactionCancelledError, transactWrite } from '../../dynamo/transaction.js';
import { DEAD_LETTER_WRITE, dismissalWrites } from './dynamo-unapplied-dismissal.js';
import { UnappliedEventNotFoundError } from '../payment.errors.js';
import {
  UNAPPLIED_PARTITION,
  unappliedListKey,
  unappliedPointerKey,
  type UnappliedEventRef,
} from './unapplied-keys.js';
import {
  UnappliedEvents,
  type Dismissal,
  type ParkedEvent,
  type UnappliedEvent,
  type UnappliedPage,
} from './unapplied-events.js';

interface UnappliedItem {
  event_id: string;
  event_type: string;
  event_created: number;
  reason: string;
  parked_at: string;
  last_attempt_at: string;
  attempts: number;
  /** The event's JSON, gzipped: Stripe events can be large, and an item holds at most 400 KB. */
  payload?: Uint8Array;
}

const SUMMARY = 'event_id, event_type, event_created, reason, parked_at, last_attempt_at, attempts';

@Injectable()
export class DynamoUnappliedEvents extends UnappliedEvents {
  private readonly tableName: string;

  constructor(
    @InjectDynamo() private readonly dynamo: DynamoDBDocumentClient,
    config: ConfigService<AppConfig, true>,
  ) {
    super();
    this.tableName = config.get('payments', { infer: true }).ledgerTableName;
  }

  async park(event: ParkedEvent, payload: string, reason: string): Promise<void> {
    const listKey = unappliedListKey(event);
    await this.guard(() =>
      transactWrite(this.dynamo, [
        {
          Update: {
            TableName: this.tableName,
            Key: listKey,
            UpdateExpression:
              'SET event_id = :id, event_type = :type, event_created = :created, reason = :reason, ' +
              'payload = :payload, last_attempt_at = :now, parked_at = if_not_exists(parked_at, :now) ' +
              'ADD attempts :one',
            ExpressionAttributeValues: {
              ':id': event.id,
              ':type': event.type,
              ':created': event.created,
              ':reason': reason,
              ':payload': gzipSync(payload),
              ':now': new Date().toISOString(),
              ':one': 1,
            },
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: { ...unappliedPointerKey(event.id), listed_sk: listKey.sk },
          },
        },
      ]),
    );
  }

  async list(limit: number, cursor?: string): Promise<UnappliedPage> {
    const start = cursor ? { ExclusiveStartKey: { pk: UNAPPLIED_PARTITION, sk: decodeCursor(cursor) } } : {};
    const { Items, LastEvaluatedKey } = await this.guard(() =>
      this.dynamo.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': UNAPPLIED_PARTITION },
          ProjectionExpression: SUMMARY,
          ScanIndexForward: false,
          Limit: limit,
          ConsistentRead: true,
          ...start,
        }),
      ),
    );
    const next = LastEvaluatedKey ? Buffer.from(String(LastEvaluatedKey.sk)).toString('base64url') : null;
    return { items: (Items ?? []).map((item) => toUnapplied(item as UnappliedItem)), next };
  }

  async count(): Promise<number> {
    let total = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.guard(() =>
        this.dynamo.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': UNAPPLIED_PARTITION },
            Select: 'COUNT',
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        ),
      );
      total += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return total;
  }

  async get(eventId: string): Promise<(UnappliedEvent & { payload: string }) | null> {
    const item = (await this.listed(eventId)) as UnappliedItem | undefined;
    if (!item?.payload) return null;
    return { ...toUnapplied(item), payload: gunzipSync(item.payload).toString('utf8') };
  }

  async dismiss(eventId: string, dismissal: Dismissal): Promise<void> {
    const listed = await this.listed(eventId);
    if (!listed) throw notParked(eventId);
    const event = { id: eventId, created: Number(listed.event_created), type: String(listed.event_type) };
    try {
      await this.guard(
        () => transactWrite(this.dynamo, dismissalWrites(this.tableName, event, dismissal, new Date())),
        [TransactionCancelledError],
      );
    } catch (error) {
      if (!(error instanceof TransactionCancelledError)) throw error;
      if (isPermanentCancellation(error.reasons)) {
        throw new StorageRejectedError(
          `DynamoDB refused the dismissal: ${error.message}`,
          {},
          { cause: error },
        );
      }
      // Applied, replayed or dismissed since it was read (the dead letter is gone), or applied before
      // it was parked (only the marker failed): either way there is nothing left to set aside.
      if (error.conditionFailedAt(DEAD_LETTER_WRITE))
        throw notParked(eventId, ' any more (applied, replayed or dismissed meanwhile)');
      if (error.reasons.includes('ConditionalCheckFailed'))
        throw notParked(eventId, ': it was applied already, its dead letter is stale');
      // A concurrent transaction on the same items: transient, the caller tries again.
      throw new DependencyUnavailableError(
        'The payments ledger is busy; try again shortly.',
        {},
        { cause: error },
      );
    }
  }

  async remove(event: UnappliedEventRef): Promise<void> {
    await this.guard(() =>
      transactWrite(
        this.dynamo,
        [unappliedListKey(event), unappliedPointerKey(event.id)].map((Key) => ({
          Delete: { TableName: this.tableName, Key },
        })),
      ),
    );
  }

  /** The list item of a parked event, found through its pointer; undefined if none is parked. */
  private async listed(eventId: string): Promise<Record<string, unknown> | undefined> {
    const pointer = await this.read(unappliedPointerKey(eventId));
    return pointer ? this.read({ pk: UNAPPLIED_PARTITION, sk: pointer.listed_sk }) : undefined;
  }

  private async read(key: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.guard(() =>
      this.dynamo.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    return Item;
  }

  private guard<T>(
    operation: () => Promise<T>,
    passThrough: Parameters<typeof withStorageErrors>[2] = [],
  ): Promise<T> {
    return withStorageErrors(
      operation,
      'The payments ledger is unavailable; try again shortly.',
      passThrough,
    );
  }
}

function notParked(eventId: string, detail = ''): UnappliedEventNotFoundError {
  return new UnappliedEventNotFoundError(`No unapplied event ${eventId} is parked${detail}.`, { eventId });
}

function decodeCursor(cursor: string): string {
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{12}#evt_[A-Za-z0-9_]+$/.test(sk)) {
    throw new InvalidRequestError('cursor is not one this list gave out.', { cursor });
  }
  return sk;
}

function toUnapplied(item: UnappliedItem): UnappliedEvent {
  return {
    eventId: item.event_id,
    eventType: item.event_type,
    eventCreatedAt: new Date(item.event_created * 1000).toISOString(),
    reason: item.reason,
    parkedAt: item.parked_at,
    lastAttemptAt: item.last_attempt_at,
    attempts: item.attempts,
  };
}
