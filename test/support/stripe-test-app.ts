import { afterAll, beforeAll } from '@jest/globals';
import { startStripeStandIn, type StripeStandIn } from './stripe-stand-in.js';
import { createTestApp, type TestApp } from './test-app.js';
import type { TestDynamo } from './test-dynamo.js';

export const TEST_STRIPE_SECRET_KEY = 'sk_test_packgate';

export interface StripeTestApp extends TestApp {
  /** The Stripe stand-in the app's stripe SDK talks to. */
  readonly standIn: StripeStandIn;
}

/**
 * A test app whose Stripe API calls go to a Stripe stand-in of its own, both started before the
 * file's tests and stopped after them. Properties are usable inside tests and hooks.
 */
export function useStripeTestApp(dynamo: TestDynamo, overrides: Record<string, string> = {}): StripeTestApp {
  let standIn: StripeStandIn | undefined;
  let current: TestApp | undefined;
  beforeAll(async () => {
    standIn = await startStripeStandIn();
    current = await createTestApp(dynamo, {
      STRIPE_SECRET_KEY: TEST_STRIPE_SECRET_KEY,
      STRIPE_API_URL: standIn.url,
      ...overrides,
    });
  });
  afterAll(async () => {
    await current?.close();
    await standIn?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (!value) throw new Error('useStripeTestApp(): it starts in beforeAll; use it inside tests and hooks');
    return value;
  };
  return {
    get standIn() {
      return started(standIn);
    },
    get app() {
      return started(current).app;
    },
    get tableName() {
      return started(current).tableName;
    },
    close: () => started(current).close(),
  };
}
