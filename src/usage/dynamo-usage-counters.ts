import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppConfig } from '../config/app-config.js';
import { withStorageErrors } from '../dynamo/dynamo-errors.js';
import { InjectDynamo } from '../dynamo/dynamo.tokens.js';
import { UsageCounters, type LeaseResult, type WindowCounter } from './usage-counters.js';

// Counters outlive their window by a day, then DynamoDB's TTL removes them.
const KEEP_AFTER_WINDOW_S = 86_400;

const counterKey = ({ email, policy, windowId }: WindowCounter) => ({
  pk: `USAGE#${email}`,
  sk: `${policy}#${windowId}`,
});

/** One item per user, policy and window in the ledger table: `leased` and `used`, with a TTL. */
@Injectable()
export class DynamoUsageCounters extends UsageCounters {
  private readonly table: string;

  constructor(
    @InjectDynamo() private readonly dynamo: DynamoDBDocumentClient,
    config: ConfigService<AppConfig, true>,
  ) {
    super();
    this.table = config.get('payments', { infer: true }).ledgerTableName;
  }

  async lease(counter: WindowCounter, quota: number, wanted: number, used: number): Promise<LeaseResult> {
    let amount = wanted;
    let total = 0;
    // At most twice: the whole lease, else what is left of the quota (read from the refusal).
    for (let attempt = 0; attempt < 2 && amount > 0; attempt++) {
      const leased = await this.add(counter, amount, used, quota - amount);
      if (leased.ok) return { granted: amount, leasedInWindow: leased.total };
      total = leased.total;
      amount = Math.min(amount - 1, quota - total);
    }
    // Nothing left to lease: still report the requests accepted here.
    if (used > 0) total = (await this.add(counter, 0, used, null)).total;
    return { granted: 0, leasedInWindow: total };
  }

  async used(counter: WindowCounter): Promise<number> {
    const { Item } = await this.guard(() =>
      this.dynamo.send(
        new GetCommand({ TableName: this.table, Key: counterKey(counter), ConsistentRead: true }),
      ),
    );
    return typeof Item?.used === 'number' ? Item.used : 0;
  }

  /** ADD `amount` to leased (only while leased <= `atMost`) and `used` to used. */
  private async add(
    counter: WindowCounter,
    amount: number,
    used: number,
    atMost: number | null,
  ): Promise<{ ok: true; total: number } | { ok: false; total: number }> {
    try {
      const { Attributes } = await this.guard(() =>
        this.dynamo.send(
          new UpdateCommand({
            TableName: this.table,
            Key: counterKey(counter),
            UpdateExpression: 'ADD leased :amount, used :used SET expires_at = :expires',
            ...(atMost === null
              ? {}
              : { ConditionExpression: 'attribute_not_exists(leased) OR leased <= :atMost' }),
            ExpressionAttributeValues: {
              ':amount': amount,
              ':used': used,
              ':expires': Math.ceil(counter.windowEnd / 1000) + KEEP_AFTER_WINDOW_S,
              ...(atMost === null ? {} : { ':atMost': atMost }),
            },
            ReturnValues: 'UPDATED_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return { ok: true, total: Number(Attributes?.leased ?? amount) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { ok: false, total: Number(error.Item?.leased?.N ?? 0) };
    }
  }

  private guard<T>(operation: () => Promise<T>): Promise<T> {
    return withStorageErrors(operation, 'The usage counters are unavailable.', [
      ConditionalCheckFailedException,
    ]);
  }
}
