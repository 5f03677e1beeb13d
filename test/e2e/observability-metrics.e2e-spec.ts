import { describe, expect, it } from '@jest/globals';
import { createTestCaller } from '../../src/testing/index.js';
import { useAppBehindProxy } from '../support/app-behind-proxy.js';
import { deliver, newPurchase, stripeEvents, TEST_PACKAGES } from '../support/stripe-events.js';
import { sampleValue } from '../support/metrics-text.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

const METRICS_TOKEN = 'metrics-token-for-the-e2e-tests';
const FRONT_END = 'https://app.example.com';

async function scrape(t: TestApp): Promise<string> {
  const response = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(METRICS_TOKEN) });
  expect(response.statusCode).toBe(200);
  return response.body;
}

describe('GET /metrics', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo, { PACKAGES: TEST_PACKAGES, METRICS_TOKEN, CORS_ORIGINS: FRONT_END });
  const other = useTestApp(dynamo, { PACKAGES: TEST_PACKAGES, METRICS_TOKEN });

  it('answers 401 in the error shape without the token or with another one', async () => {
    for (const headers of [{}, bearer('not-the-metrics-token-at-all'), bearer(`${METRICS_TOKEN}x`)]) {
      const response = await t.app.inject({ method: 'GET', url: '/metrics', headers });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ statusCode: 401, code: 'AUTH.UNAUTHENTICATED' });
      expect(response.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('lists every counter in Prometheus text, with process metrics', async () => {
    await t.app.inject({ method: 'GET', url: '/health' });
    const response = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(METRICS_TOKEN) });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    for (const name of [
      'packgate_http_request_duration_seconds',
      'packgate_guard_decisions_total',
      'packgate_cache_lookups_total',
      'packgate_dynamodb_request_duration_seconds',
      'packgate_dynamodb_errors_total',
      'packgate_stripe_events_total',
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(response.body).toContain(`# TYPE ${name} `);
    }
    expect(
      sampleValue(response.body, 'packgate_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/health',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('counts signed webhooks by type and outcome: applied, duplicate, ignored, parked', async () => {
    const type = 'checkout.session.completed';
    const before = await scrape(t);
    const event = stripeEvents.checkoutCompleted(newPurchase(uniqueEmail(), 2));
    expect((await deliver(t.app, event)).json()).toEqual({ received: true, outcome: 'applied' });
    expect((await deliver(t.app, event)).json()).toEqual({ received: true, outcome: 'duplicate' });
    expect((await deliver(t.app, stripeEvents.other('customer.created'))).json()).toMatchObject({
      outcome: 'ignored',
    });
    const after = await scrape(t);
    const delta = (labels: Record<string, string>) =>
      sampleValue(after, 'packgate_stripe_events_total', labels) -
      sampleValue(before, 'packgate_stripe_events_total', labels);
    expect(delta({ type, outcome: 'applied' })).toBe(1);
    expect(delta({ type, outcome: 'duplicate' })).toBe(1);
    expect(delta({ type: 'customer.created', outcome: 'ignored' })).toBe(1);
    expect(delta({ type, outcome: 'parked' })).toBe(0);
    // A purchase of a package this catalog does not have is parked for staff, never dropped.
    const unknownPackage = stripeEvents.checkoutCompleted(newPurchase(uniqueEmail(), 7));
    expect((await deliver(t.app, unknownPackage)).json()).toMatchObject({ outcome: 'parked' });
    const parked = { type, outcome: 'parked' };
    const parkedDelta = sampleValue(await scrape(t), 'packgate_stripe_events_total', parked);
    expect(parkedDelta - sampleValue(before, 'packgate_stripe_events_total', parked)).toBe(1);
    const transactions = (text: string) =>
      sampleValue(text, 'packgate_dynamodb_request_duration_seconds_count', {
        operation: 'TransactWriteItems',
      });
    expect(transactions(after)).toBeGreaterThan(transactions(before));
  });

  it('counts guard decisions (402, then allowed) and the cache lookups behind them', async () => {
    const email = uniqueEmail();
    const headers = bearer(await devToken(email));
    const before = await scrape(t);
    expect((await t.app.inject({ method: 'GET', url: '/content/pro', headers })).statusCode).toBe(402);
    await deliver(t.app, stripeEvents.checkoutCompleted(newPurchase(email, 2)));
    expect((await t.app.inject({ method: 'GET', url: '/content/pro', headers })).statusCode).toBe(200);
    const after = await scrape(t);
    const delta = (name: string, labels: Record<string, string>) =>
      sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(delta('packgate_guard_decisions_total', { decision: 'payment_required' })).toBe(1);
    expect(delta('packgate_guard_decisions_total', { decision: 'allowed' })).toBe(1);
    expect(delta('packgate_guard_decisions_total', { decision: 'unavailable' })).toBe(0);
    // First request: token and entitlement both missed; the second finds the token, and the purchase
    // replaced the cached entitlement, so it is a hit.
    expect(delta('packgate_cache_lookups_total', { cache: 'token', result: 'miss' })).toBe(1);
    expect(delta('packgate_cache_lookups_total', { cache: 'token', result: 'hit' })).toBe(1);
    expect(delta('packgate_cache_lookups_total', { cache: 'entitlement', result: 'miss' })).toBe(1);
    expect(delta('packgate_cache_lookups_total', { cache: 'entitlement', result: 'hit' })).toBe(1);
    const count = (status: string) =>
      delta('packgate_http_request_duration_seconds_count', { method: 'GET', route: '/content/pro', status });
    expect([count('402'), count('200')]).toEqual([1, 1]);
  });

  it('counts DynamoDB calls and their errors by operation', async () => {
    const headers = bearer(await devToken(uniqueEmail()));
    const before = await scrape(t);
    expect((await t.app.inject({ method: 'POST', url: '/users/me', headers })).statusCode).toBe(201);
    // Registering again: the conditional Put fails, which is how packgate learns the user exists.
    expect((await t.app.inject({ method: 'POST', url: '/users/me', headers })).statusCode).toBe(200);
    const after = await scrape(t);
    const delta = (name: string, labels: Record<string, string>) =>
      sampleValue(after, name, labels) - sampleValue(before, name, labels);
    const puts = { operation: 'PutItem' };
    expect(delta('packgate_dynamodb_request_duration_seconds_count', puts)).toBe(2);
    expect(
      delta('packgate_dynamodb_errors_total', { ...puts, error: 'ConditionalCheckFailedException' }),
    ).toBe(1);
  });

  it('puts every unmatched path under one route label', async () => {
    const before = await scrape(t);
    await Promise.all(['/nope-1', '/nope-2', '/x/y/z'].map((url) => t.app.inject({ method: 'GET', url })));
    const after = await scrape(t);
    const labels = { method: 'GET', route: 'unmatched', status: '404' };
    const name = 'packgate_http_request_duration_seconds_count';
    expect(sampleValue(after, name, labels) - sampleValue(before, name, labels)).toBe(3);
    expect(after).not.toContain('nope-1');
  });

  it('never answers cross-origin, even to an allowed origin', async () => {
    const corsHeaders = (headers: Record<string, unknown>) =>
      Object.keys(headers).filter((name) => name.startsWith('access-control-'));
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/metrics',
      headers: { origin: FRONT_END, 'access-control-request-method': 'GET' },
    });
    expect(corsHeaders(preflight.headers)).toEqual([]);
    const read = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { ...bearer(METRICS_TOKEN), origin: FRONT_END },
    });
    expect(read.statusCode).toBe(200);
    expect(corsHeaders(read.headers)).toEqual([]);
    const content = await t.app.inject({ method: 'GET', url: '/health', headers: { origin: FRONT_END } });
    expect(content.headers['access-control-allow-origin']).toBe(FRONT_END);
    // A front end can read the request id to quote it in a support request.
    expect(content.headers['access-control-expose-headers']).toContain('X-Request-Id');
  });

  it("keeps each app's metrics apart (a registry per app)", async () => {
    const labels = { method: 'GET', route: '/health', status: '200' };
    const name = 'packgate_http_request_duration_seconds_count';
    const before = sampleValue(await scrape(other), name, labels);
    await t.app.inject({ method: 'GET', url: '/health' });
    expect(sampleValue(await scrape(other), name, labels)).toBe(before);
  });
});

describe('GET /metrics while DynamoDB is unreachable', () => {
  const dynamo = useTestDynamo();
  const t = useAppBehindProxy(dynamo, {
    METRICS_TOKEN,
    PACKAGES: TEST_PACKAGES,
    DYNAMO_TIMEOUT_MS: '300',
    DYNAMO_CONNECT_TIMEOUT_MS: '300',
    DYNAMO_MAX_ATTEMPTS: '2',
    ENTITLEMENT_CACHE_TTL_MS: '0',
  });

  it('counts the 503 as an unavailable guard decision and the failed read as a DynamoDB error', async () => {
    const { headers } = await createTestCaller(t.app, 'pro');
    const before = await scrape(t);
    await t.proxy.switchTo('refuse');
    expect((await t.app.inject({ method: 'GET', url: '/content/pro', headers })).statusCode).toBe(503);
    await t.proxy.switchTo('forward');
    const after = await scrape(t);
    const delta = (name: string, labels: Record<string, string>) =>
      sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(delta('packgate_guard_decisions_total', { decision: 'unavailable' })).toBe(1);
    expect(delta('packgate_guard_decisions_total', { decision: 'allowed' })).toBe(0);
    const errors = after
      .split('\n')
      .filter((line) => line.startsWith('packgate_dynamodb_errors_total{operation="GetItem"'));
    expect(errors).not.toEqual([]);
    const status = { method: 'GET', route: '/content/pro', status: '503' };
    expect(delta('packgate_http_request_duration_seconds_count', status)).toBe(1);
  });

  it('counts a webhook that could not be applied as failed (Stripe retries it)', async () => {
    const before = await scrape(t);
    await t.proxy.switchTo('refuse');
    const event = stripeEvents.checkoutCompleted(newPurchase(uniqueEmail(), 2));
    expect((await deliver(t.app, event)).statusCode).toBe(503);
    await t.proxy.switchTo('forward');
    const after = await scrape(t);
    const labels = { type: 'checkout.session.completed', outcome: 'failed' };
    const name = 'packgate_stripe_events_total';
    expect(sampleValue(after, name, labels) - sampleValue(before, name, labels)).toBe(1);
  });
});
