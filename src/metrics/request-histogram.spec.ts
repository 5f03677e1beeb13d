import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Histogram, Registry } from 'prom-client';
import { RequestDurationHistogram } from './request-histogram.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const observation = fc.record({
  method: fc.constantFrom('GET', 'PUT'),
  route: fc.constantFrom('/health', '/admin/users/:email/package', 'unmatched', 'a"quote\\back'),
  status: fc.constantFrom(200, 402, 404),
  seconds: fc.oneof(fc.constantFrom(0, ...BUCKETS), fc.double({ min: 0, max: 5, noNaN: true })),
});

describe('RequestDurationHistogram', () => {
  it("writes exactly what prom-client's own Histogram writes for the same observations", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(observation, { maxLength: 40 }), async (observations) => {
        const ours = new Registry();
        const theirs = new Registry();
        const name = 'request_duration_seconds';
        const help = 'Requests.';
        const byHand = new RequestDurationHistogram(name, help, BUCKETS, ours);
        const reference = new Histogram({
          name,
          help,
          labelNames: ['method', 'route', 'status'],
          buckets: BUCKETS,
          registers: [theirs],
        });
        for (const { method, route, status, seconds } of observations) {
          byHand.observe(method, route, status, seconds);
          reference.observe({ method, route, status: String(status) }, seconds);
        }
        expect(await ours.metrics()).toBe(await theirs.metrics());
      }),
    );
  });
});
