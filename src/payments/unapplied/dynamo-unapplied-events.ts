import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppConfig } from '../../config/app-config.js';
import { withStorageErrors } from '../../dynamo/dynamo-errors.js';
import { InjectDynamo } from '../../dynamo/dynamo.tokens.js';
import { TransactionCancelledError, transactWrite } from '../../dynamo/transaction.js';
import { dismissalFailure, dismissalWrites, notParked } from './dynamo-unapplied-dismissal.js';
import {
  SUMMARY,
  decodeCursor,
  encodeCursor,
  parkWrites,
  toUnapplied,
  unzipPayload,
  type UnappliedItem,
} from './dynamo-unapplied-item.js';
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
    await this.guard(() =>
      transactWrite(this.dynamo, parkWrites(this.tableName, event, payload, reason, new Date())),
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
    const next = LastEvaluatedKey ? encodeCursor(LastEvaluatedKey.sk) : null;
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
    return { ...toUnapplied(item), payload: unzipPayload(item.payload) };
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
      throw dismissalFailure(error, eventId);
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
