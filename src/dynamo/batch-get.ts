import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;

/** DynamoDB refuses a BatchGetItem of more than 100 keys (ValidationException). */
export const BATCH_GET_MAX_KEYS = 100;

export interface BatchGetRetry {
  /** Calls per chunk, the first included, before giving up on keys left unprocessed. */
  attempts: number;
  /** Full-jitter backoff: the n-th retry waits up to baseDelayMs · 2^n. */
  baseDelayMs: number;
}

const DEFAULT_RETRY: BatchGetRetry = { attempts: 6, baseDelayMs: 20 };

/** Keys were still unprocessed (throttling) after every attempt; a later try may succeed. */
export class BatchGetIncompleteError extends Error {
  override name = 'BatchGetIncompleteError';

  constructor(
    readonly tableName: string,
    readonly unprocessed: number,
  ) {
    super(`BatchGetItem on ${tableName} left ${unprocessed} key(s) unprocessed after every retry`);
  }
}

/**
 * Every item stored under `keys` (any number of them; missing items are left out), strongly
 * consistent: asked 100 keys at a time, and the keys DynamoDB leaves unprocessed (throttling, its
 * 16 MB answer limit) asked again with jittered backoff, a bounded number of times.
 */
export async function batchGetAll(
  dynamo: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  keys: Item[],
  retry: BatchGetRetry = DEFAULT_RETRY,
): Promise<Item[]> {
  const items: Item[] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_MAX_KEYS) {
    items.push(...(await getChunk(dynamo, tableName, keys.slice(start, start + BATCH_GET_MAX_KEYS), retry)));
  }
  return items;
}

async function getChunk(
  dynamo: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  keys: Item[],
  retry: BatchGetRetry,
): Promise<Item[]> {
  const items: Item[] = [];
  let pending = keys;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > retry.attempts) throw new BatchGetIncompleteError(tableName, pending.length);
    if (attempt > 1) await sleep(Math.random() * retry.baseDelayMs * 2 ** (attempt - 1));
    const { Responses, UnprocessedKeys } = await dynamo.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
    );
    items.push(...(Responses?.[tableName] ?? []));
    pending = UnprocessedKeys?.[tableName]?.Keys ?? [];
  }
  return items;
}
