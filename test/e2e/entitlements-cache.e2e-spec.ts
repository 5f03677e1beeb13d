import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestCaller } from '../../src/testing/index.js';
import { UsersRepository } from '../../src/users/users.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';

const TTL_MS = 1500;

describe('entitlements cache across instances', () => {
  const dynamo = useTestDynamo();
  let writer: TestApp;
  let reader: TestApp;
  beforeAll(async () => {
    writer = await createTestApp(dynamo, { ENTITLEMENT_CACHE_TTL_MS: String(TTL_MS) });
    reader = await createTestApp(dynamo, {
      DYNAMO_TABLE_NAME: writer.tableName,
      ENTITLEMENT_CACHE_TTL_MS: String(TTL_MS),
    });
  });
  afterAll(async () => {
    await Promise.all([writer.close(), reader.close()]);
  });

  it('shows another instance an upgrade once its cached entry expires, not before', async () => {
    const caller = await createTestCaller(writer.app, 'basic');
    const get = (t: TestApp) => t.app.inject({ method: 'GET', url: '/content/pro', headers: caller.headers });
    expect((await get(reader)).statusCode).toBe(402); // reader now caches "basic"

    const upgradedAt = Date.now();
    await writer.app.get(UsersRepository).setUserPackage(caller.email, 2);
    expect((await get(writer)).statusCode).toBe(200); // the instance that wrote sees it at once
    const stale = await get(reader);
    // Bounded staleness: within the TTL the reader may still answer from its cache.
    if (Date.now() - upgradedAt < TTL_MS) expect(stale.statusCode).toBe(402);

    await sleep(TTL_MS + 50);
    expect((await get(reader)).statusCode).toBe(200);
  });

  it('reads DynamoDB on every request with ENTITLEMENT_CACHE_TTL_MS=0', async () => {
    const uncached = await createTestApp(dynamo, {
      DYNAMO_TABLE_NAME: writer.tableName,
      ENTITLEMENT_CACHE_TTL_MS: '0',
    });
    try {
      const caller = await createTestCaller(writer.app, 'basic');
      const get = () => uncached.app.inject({ method: 'GET', url: '/content/pro', headers: caller.headers });
      expect((await get()).statusCode).toBe(402);
      await writer.app.get(UsersRepository).setUserPackage(caller.email, 2);
      expect((await get()).statusCode).toBe(200);
    } finally {
      await uncached.close();
    }
  });
});
