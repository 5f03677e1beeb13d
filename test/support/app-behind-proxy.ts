import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { SwitchableProxy } from './switchable-proxy.js';
import { createTestApp, type TestApp } from './test-app.js';
import type { TestDynamo } from './test-dynamo.js';

export interface AppBehindProxy extends TestApp {
  /** Between the app and DynamoDB Local: switch it to make DynamoDB fail; it forwards again after each test. */
  readonly proxy: SwitchableProxy;
}

/**
 * A test app that reaches the file's DynamoDB Local only through a SwitchableProxy, for failure tests.
 * `overrides` should set small DYNAMO_*_TIMEOUT_MS and DYNAMO_MAX_ATTEMPTS to keep failures quick.
 */
export function useAppBehindProxy(dynamo: TestDynamo, overrides: Record<string, string>): AppBehindProxy {
  let proxy: SwitchableProxy | undefined;
  let t: TestApp | undefined;
  beforeAll(async () => {
    proxy = await SwitchableProxy.start(dynamo.endpoint);
    t = await createTestApp(dynamo, { ...overrides, DYNAMO_ENDPOINT: proxy.url });
  });
  afterEach(async () => {
    await proxy?.switchTo('forward');
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (!value) throw new Error('useAppBehindProxy(): it starts in beforeAll; use it inside tests and hooks');
    return value;
  };
  return {
    get proxy() {
      return started(proxy);
    },
    get app() {
      return started(t).app;
    },
    get tableName() {
      return started(t).tableName;
    },
    close: () => started(t).close(),
  };
}
