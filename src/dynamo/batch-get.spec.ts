import { describe, expect, it } from '@jest/globals';
import type { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, BatchGetIncompleteError } from './batch-get.js';

type Key = { pk: string };

// DynamoDB Local never leaves keys unprocessed, so this branch is driven by a stand-in client (the
// 100-key chunking is tested against the engine in test/e2e/payments-many-grants.e2e-spec.ts).
class StandInClient {
  readonly requests: Key[][] = [];

  /** `unprocessed(call, keys)`: the keys this call leaves unprocessed. */
  constructor(private readonly unprocessed: (call: number, keys: Key[]) => Key[]) {}

  async send(command: BatchGetCommand) {
    const keys = command.input.RequestItems!.table.Keys as Key[];
    this.requests.push(keys);
    const left = this.unprocessed(this.requests.length, keys);
    const served = keys.filter((key) => !left.includes(key));
    return {
      Responses: { table: served.map((key) => ({ ...key, found: true })) },
      UnprocessedKeys: left.length > 0 ? { table: { Keys: left } } : {},
    };
  }

  get client() {
    return this as unknown as Pick<DynamoDBDocumentClient, 'send'>;
  }
}

const keys = (n: number): Key[] => Array.from({ length: n }, (_, i) => ({ pk: `GRANT#${i}` }));
const noWait = { attempts: 4, baseDelayMs: 0 };

describe('batchGetAll', () => {
  it('asks again for the keys left unprocessed until every one is served', async () => {
    const stand = new StandInClient((call, asked) => (call <= 2 ? asked.slice(0, 2) : []));
    const items = await batchGetAll(stand.client, 'table', keys(5), noWait);
    expect(items.map((item) => item.pk).sort()).toEqual(
      keys(5)
        .map((key) => key.pk)
        .sort(),
    );
    expect(stand.requests.map((asked) => asked.length)).toEqual([5, 2, 2]);
  });

  it('gives up with BatchGetIncompleteError after the last attempt', async () => {
    const stand = new StandInClient((_call, asked) => asked.slice(0, 1));
    await expect(batchGetAll(stand.client, 'table', keys(3), noWait)).rejects.toThrow(
      BatchGetIncompleteError,
    );
    expect(stand.requests).toHaveLength(noWait.attempts);
  });

  it('asks at most 100 keys at a time', async () => {
    const stand = new StandInClient(() => []);
    const items = await batchGetAll(stand.client, 'table', keys(250), noWait);
    expect(items).toHaveLength(250);
    expect(stand.requests.map((asked) => asked.length)).toEqual([100, 100, 50]);
  });

  it('asks nothing for no keys', async () => {
    const stand = new StandInClient(() => []);
    expect(await batchGetAll(stand.client, 'table', [], noWait)).toEqual([]);
    expect(stand.requests).toEqual([]);
  });
});
