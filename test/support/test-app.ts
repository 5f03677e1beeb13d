import { afterAll, beforeAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, type CreateAppOptions } from '../../src/app.factory.js';
import { ensureTables } from '../../src/dynamo/tables.js';
import type { TestDynamo } from './test-dynamo.js';
import { TEST_DEV_SECRET, TEST_WEBHOOK_SECRET } from './tokens.js';

/** The ledger table that goes with a test users table. */
export const ledgerTableOf = (usersTable: string) => `${usersTable}-ledger`;

/** Fresh users and ledger tables, created the way `npm run db:init` does it; returns the users table. */
export async function createTestTable(dynamo: TestDynamo): Promise<string> {
  const tableName = `test-users-${randomUUID()}`;
  await ensureTables(dynamo.client, { users: tableName, ledger: ledgerTableOf(tableName) }, { aws: false });
  return tableName;
}

/**
 * The environment of a test app: the file's engine, the given table, dev-secret authentication.
 * An override of `''` unsets a default, as the env schema reads empty as unset: `AUTH_DEV_SECRET: ''`
 * with `AUTH_ISSUER` set gives an OIDC app.
 */
export function testEnv(dynamo: TestDynamo, tableName: string, overrides: Record<string, string> = {}) {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.PACKGATE_TEST_LOG_LEVEL ?? 'silent',
    DYNAMO_ENDPOINT: dynamo.endpoint,
    DYNAMO_TABLE_NAME: tableName,
    DYNAMO_LEDGER_TABLE_NAME: ledgerTableOf(tableName),
    AUTH_DEV_SECRET: TEST_DEV_SECRET,
    STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    ...overrides,
  };
}

export interface TestApp {
  app: NestFastifyApplication;
  tableName: string;
  close(): Promise<void>;
}

/**
 * packgate as createApp() builds it, ready for app.inject(), on a new table of the file's engine
 * (or on `overrides.DYNAMO_TABLE_NAME`, to run several instances over one table).
 */
export async function createTestApp(
  dynamo: TestDynamo,
  overrides: Record<string, string> = {},
  imports: CreateAppOptions['imports'] = [],
): Promise<TestApp> {
  const tableName = overrides.DYNAMO_TABLE_NAME ?? (await createTestTable(dynamo));
  const app = await createApp({ env: testEnv(dynamo, tableName, overrides), shutdownHooks: false, imports });
  await app.getHttpAdapter().getInstance().ready();
  return { app, tableName, close: () => app.close() };
}

/**
 * The usual set-up of a spec: one app for the file, created before its tests (on the file's engine)
 * and closed after them. Its properties are usable inside tests and hooks.
 */
export function useTestApp(
  dynamo: TestDynamo,
  overrides: Record<string, string> = {},
  imports: CreateAppOptions['imports'] = [],
): TestApp {
  let current: TestApp | undefined;
  beforeAll(async () => {
    current = await createTestApp(dynamo, overrides, imports);
  });
  afterAll(async () => {
    await current?.close();
  });
  const started = () => {
    if (!current) throw new Error('useTestApp(): the app starts in beforeAll; use it inside tests');
    return current;
  };
  return {
    get app() {
      return started().app;
    },
    get tableName() {
      return started().tableName;
    },
    close: () => started().close(),
  };
}
