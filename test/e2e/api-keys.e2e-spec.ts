import { describe, expect, it } from '@jest/globals';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestCaller } from '../../src/testing/index.js';
import { sampleValue } from '../support/metrics-text.js';
import { createTestApp, ledgerTableOf, useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

const STAFF = 'keys-staff@example.com';

describe('API keys', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo, { ADMIN_EMAILS: STAFF, API_KEYS_MAX_PER_USER: '3' });

  const send = (
    app: NestFastifyApplication,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    headers = {},
    body?: unknown,
  ) => app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as object }) });

  async function newKey(headers: Record<string, string>, name = 'ci') {
    const created = await send(t.app, 'POST', '/users/me/api-keys', headers, { name });
    expect(created.statusCode).toBe(201);
    return created.json() as { id: string; name: string; key: string; prefix: string; createdAt: string };
  }

  it('shows a key once, lists it without the key, accepts it in either header, and refuses it once revoked', async () => {
    const caller = await createTestCaller(t.app, 'none');
    const created = await newKey(caller.headers, 'deploy bot');
    expect(created).toEqual({
      id: expect.stringMatching(/^key_[0-9A-Za-z]{16}$/),
      name: 'deploy bot',
      key: expect.stringMatching(/^pgk_[0-9A-Za-z]{46}$/),
      prefix: created.key.slice(0, 12),
      createdAt: expect.any(String),
    });

    const listed = await send(t.app, 'GET', '/users/me/api-keys', caller.headers);
    expect(listed.json()).toEqual({
      keys: [
        {
          id: created.id,
          name: 'deploy bot',
          prefix: created.prefix,
          createdAt: created.createdAt,
          lastUsedAt: null,
        },
      ],
    });

    for (const headers of [bearer(created.key), { 'x-api-key': created.key }]) {
      const me = await send(t.app, 'GET', '/users/me', headers);
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ email: caller.email });
    }
    await waitFor(async () => {
      const [key] = (await send(t.app, 'GET', '/users/me/api-keys', caller.headers)).json().keys;
      return key.lastUsedAt !== null;
    });

    expect((await send(t.app, 'DELETE', `/users/me/api-keys/${created.id}`, caller.headers)).statusCode).toBe(
      204,
    );
    const refused = await send(t.app, 'GET', '/users/me', bearer(created.key));
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ code: 'AUTH.UNAUTHENTICATED' });
    const again = await send(t.app, 'DELETE', `/users/me/api-keys/${created.id}`, caller.headers);
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: 'API_KEYS.NOT_FOUND' });
    expect((await send(t.app, 'GET', '/users/me/api-keys', caller.headers)).json()).toEqual({ keys: [] });
  });

  it('never stores the key itself: no table item contains it or its secret part', async () => {
    const caller = await createTestCaller(t.app, 'basic');
    const { key } = await newKey(caller.headers);
    expect((await send(t.app, 'GET', '/users/me', bearer(key))).statusCode).toBe(200);
    for (const table of [t.tableName, ledgerTableOf(t.tableName)]) {
      const { Items } = await dynamo.client.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
      const stored = JSON.stringify(Items);
      expect(stored).not.toContain(key);
      expect(stored).not.toContain(key.slice(12));
    }
  });

  it('gives the key its owner’s package: 200 on a basic route, 402 on a pro one', async () => {
    const caller = await createTestCaller(t.app, 'basic');
    const { key } = await newKey(caller.headers);
    expect((await send(t.app, 'GET', '/content/basic', { 'x-api-key': key })).statusCode).toBe(200);
    const pro = await send(t.app, 'GET', '/content/pro', { 'x-api-key': key });
    expect(pro.statusCode).toBe(402);
    expect(pro.json()).toMatchObject({ code: 'PAYMENTS.PACKAGE_REQUIRED', currentPackage: 'basic' });
  });

  it('lets a key neither manage keys nor act as staff (403 AUTH.TOKEN_REQUIRED)', async () => {
    const staff = await createTestCaller(t.app, 'none', { email: STAFF });
    const { key, id } = await newKey(staff.headers);
    for (const [method, url] of [
      ['POST', '/users/me/api-keys'],
      ['GET', '/users/me/api-keys'],
      ['DELETE', `/users/me/api-keys/${id}`],
      ['GET', `/admin/users/${STAFF}/api-keys`],
      ['GET', `/admin/users/${STAFF}/history`],
    ] as const) {
      const answer = await send(
        t.app,
        method,
        url,
        bearer(key),
        method === 'POST' ? { name: 'more' } : undefined,
      );
      expect({ url, status: answer.statusCode, code: answer.json().code }).toEqual({
        url,
        status: 403,
        code: 'AUTH.TOKEN_REQUIRED',
      });
    }
    expect((await send(t.app, 'GET', '/users/me/api-keys', staff.headers)).json().keys).toHaveLength(1);
  });

  it('refuses a mistyped key, an unknown one and two credentials at once with 401', async () => {
    const caller = await createTestCaller(t.app, 'none');
    const { key } = await newKey(caller.headers);
    const typo = key.slice(0, 20) + (key[20] === 'x' ? 'y' : 'x') + key.slice(21);
    const unknown = 'pgk_' + 'A'.repeat(46);
    for (const headers of [
      bearer(typo),
      { 'x-api-key': unknown },
      { 'x-api-key': key, ...caller.headers },
      { 'x-api-key': '' },
    ]) {
      const answer = await send(t.app, 'GET', '/users/me', headers);
      expect(answer.statusCode).toBe(401);
      expect(answer.json()).toMatchObject({ code: 'AUTH.UNAUTHENTICATED' });
    }
  });

  it('holds at most API_KEYS_MAX_PER_USER keys, also when created concurrently', async () => {
    const caller = await createTestCaller(t.app, 'none');
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        send(t.app, 'POST', '/users/me/api-keys', caller.headers, { name: `k${i}` }),
      ),
    );
    const statuses = answers.map((answer) => answer.statusCode).sort();
    expect(statuses).toEqual([201, 201, 201, 409, 409, 409]);
    expect(answers.find((a) => a.statusCode === 409)!.json()).toMatchObject({
      code: 'API_KEYS.LIMIT_REACHED',
      max: 3,
    });
    const { keys } = (await send(t.app, 'GET', '/users/me/api-keys', caller.headers)).json();
    expect(keys).toHaveLength(3);
    await send(t.app, 'DELETE', `/users/me/api-keys/${keys[0].id}`, caller.headers);
    expect(
      (await send(t.app, 'POST', '/users/me/api-keys', caller.headers, { name: 'again' })).statusCode,
    ).toBe(201);
  });

  it('refuses a bad name with 400 and writes nothing', async () => {
    const caller = await createTestCaller(t.app, 'none');
    for (const body of [{}, { name: '' }, { name: 'x'.repeat(101) }, { name: 'ok', extra: 1 }]) {
      const answer = await send(t.app, 'POST', '/users/me/api-keys', caller.headers, body);
      expect(answer.statusCode).toBe(400);
      expect(answer.json()).toMatchObject({ code: 'REQUEST.INVALID' });
    }
    expect((await send(t.app, 'GET', '/users/me/api-keys', caller.headers)).json()).toEqual({ keys: [] });
  });

  it('lets staff list and revoke a user’s key, audited with the staff member’s address', async () => {
    const owner = await createTestCaller(t.app, 'none');
    const { id, key } = await newKey(owner.headers);
    const staff = bearer(await devToken(STAFF));
    const listed = await send(t.app, 'GET', `/admin/users/${owner.email}/api-keys`, staff);
    expect(listed.json()).toMatchObject({ email: owner.email, keys: [{ id }] });
    expect(JSON.stringify(listed.json())).not.toContain(key);
    expect(await send(t.app, 'GET', `/admin/users/${owner.email}/api-keys`, owner.headers)).toMatchObject({
      statusCode: 403,
    });
    expect(
      (await send(t.app, 'DELETE', `/admin/users/${owner.email}/api-keys/${id}`, staff)).statusCode,
    ).toBe(204);
    expect((await send(t.app, 'GET', '/users/me', bearer(key))).statusCode).toBe(401);
    const { Items } = await dynamo.client.send(
      new ScanCommand({ TableName: ledgerTableOf(t.tableName), ConsistentRead: true }),
    );
    const audit = (Items ?? []).filter(
      (item) => item.pk === `APIKEYS#${owner.email}` && String(item.sk).startsWith('AUDIT#'),
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'created', key_id: id, by: 'owner' }),
        expect.objectContaining({ action: 'revoked', key_id: id, by: 'staff', staff_email: STAFF }),
      ]),
    );
  });

  it('stops a key revoked elsewhere within API_KEY_CACHE_TTL_MS, and at once where it was revoked', async () => {
    const other = await createTestApp(dynamo, {
      DYNAMO_TABLE_NAME: t.tableName,
      API_KEY_CACHE_TTL_MS: '1500',
    });
    try {
      const caller = await createTestCaller(t.app, 'none', { email: uniqueEmail('ttl') });
      const { id, key } = await newKey(caller.headers);
      expect((await send(other.app, 'GET', '/users/me', bearer(key))).statusCode).toBe(200);
      expect((await send(t.app, 'DELETE', `/users/me/api-keys/${id}`, caller.headers)).statusCode).toBe(204);
      expect((await send(t.app, 'GET', '/users/me', bearer(key))).statusCode).toBe(401);
      // The other instance still trusts its lookup until the TTL runs out, then asks again.
      expect((await send(other.app, 'GET', '/users/me', bearer(key))).statusCode).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1600));
      expect((await send(other.app, 'GET', '/users/me', bearer(key))).statusCode).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('answers a burst of first uses of a key with one read and one lastUsedAt write', async () => {
    const metricsToken = 'api-keys-metrics-token-0123456789';
    const other = await createTestApp(dynamo, {
      DYNAMO_TABLE_NAME: t.tableName,
      METRICS_TOKEN: metricsToken,
    });
    try {
      const caller = await createTestCaller(t.app, 'basic', { email: uniqueEmail('burst') });
      const { key } = await newKey(caller.headers);
      // The caller's package is read once too, before the burst, so only the key's reads are counted.
      expect((await send(other.app, 'GET', '/content/basic', caller.headers)).statusCode).toBe(200);
      const calls = async (operation: string) =>
        sampleValue(
          (await send(other.app, 'GET', '/metrics', bearer(metricsToken))).body,
          'packgate_dynamodb_request_duration_seconds_count',
          { operation },
        );
      const [getsBefore, updatesBefore] = [await calls('GetItem'), await calls('UpdateItem')];
      const answers = await Promise.all(
        Array.from({ length: 200 }, () => send(other.app, 'GET', '/content/basic', { 'x-api-key': key })),
      );
      expect(answers.map((answer) => answer.statusCode)).toEqual(Array(200).fill(200));
      expect((await calls('GetItem')) - getsBefore).toBe(1);
      await waitFor(async () => (await calls('UpdateItem')) - updatesBefore >= 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await calls('UpdateItem')) - updatesBefore).toBe(1);
    } finally {
      await other.close();
    }
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
