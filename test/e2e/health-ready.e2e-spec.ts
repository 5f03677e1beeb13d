import { describe, expect, it } from '@jest/globals';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { ledgerTableOf, useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';

describe('GET /health/ready', () => {
  const dynamo = useTestDynamo();
  // No forgiveness: each probe says what DynamoDB answers now.
  const t = useTestApp(dynamo, { READY_CACHE_MS: '0' });

  it('checks the ledger table as well as the users table', async () => {
    const before = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(before.json()).toEqual({ status: 'ready', checks: { dynamodb: 'up' } });

    await dynamo.client.send(new DeleteTableCommand({ TableName: ledgerTableOf(t.tableName) }));
    const after = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(after.statusCode).toBe(503);
    expect(after.json()).toMatchObject({ code: 'DEPENDENCY.UNAVAILABLE' });
  });
});
