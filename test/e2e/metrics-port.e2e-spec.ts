import { describe, expect, it } from '@jest/globals';
import { MetricsListener } from '../../src/metrics/metrics-listener.js';
import { sampleValue } from '../support/metrics-text.js';
import { createTestApp, useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer } from '../support/tokens.js';

const METRICS_TOKEN = 'metrics-token-for-the-port-tests';

const scrapeUrl = (app: { get(type: typeof MetricsListener): MetricsListener }) => {
  const url = app.get(MetricsListener).url;
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  return url!;
};

describe('METRICS_PORT: /metrics on a listener of its own', () => {
  const dynamo = useTestDynamo();
  const open = useTestApp(dynamo, { METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' });
  const guarded = useTestApp(dynamo, { METRICS_PORT: '0', METRICS_HOST: '127.0.0.1', METRICS_TOKEN });

  it("serves the app's metrics there, without a token when none is set", async () => {
    await open.app.inject({ method: 'GET', url: '/health' });
    const response = await fetch(scrapeUrl(open.app));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    const health = { method: 'GET', route: '/health', status: '200' };
    expect(sampleValue(text, 'packgate_http_request_duration_seconds_count', health)).toBeGreaterThanOrEqual(
      1,
    );
    expect(text).toContain('# TYPE process_cpu_user_seconds_total ');
  });

  it("takes /metrics off the app's own port", async () => {
    for (const t of [open, guarded]) {
      const response = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(METRICS_TOKEN) });
      expect(response.statusCode).toBe(404);
    }
  });

  it('answers nothing else there: other paths 404, other methods 405, in the error shape', async () => {
    const base = scrapeUrl(open.app).replace(/\/metrics$/, '');
    const notFound = await fetch(`${base}/health`);
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ statusCode: 404, code: 'HTTP.NOT_FOUND' });
    const post = await fetch(`${base}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(await post.json()).toMatchObject({ statusCode: 405, code: 'HTTP.METHOD_NOT_ALLOWED' });
  });

  it('requires METRICS_TOKEN there when it is set', async () => {
    const url = scrapeUrl(guarded.app);
    for (const headers of [{}, bearer('not-the-metrics-token-at-all')]) {
      const refused = await fetch(url, { headers });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer');
      expect(await refused.json()).toMatchObject({ statusCode: 401, code: 'AUTH.UNAUTHENTICATED' });
    }
    const answered = await fetch(url, { headers: bearer(METRICS_TOKEN) });
    expect(answered.status).toBe(200);
    expect(await answered.text()).toContain('# TYPE packgate_http_request_duration_seconds histogram');
  });

  it('closes with the app', async () => {
    const t = await createTestApp(dynamo, { METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' });
    const url = scrapeUrl(t.app);
    expect((await fetch(url)).status).toBe(200);
    await t.close();
    await expect(fetch(url)).rejects.toThrow();
  });
});
