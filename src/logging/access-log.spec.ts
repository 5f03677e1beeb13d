import { describe, expect, it } from '@jest/globals';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { accessLogFilter } from './access-log.js';

const answered = (method: string, statusCode: number, elapsedTime = 0.3) => ({
  request: { method } as FastifyRequest,
  reply: { statusCode, elapsedTime } as FastifyReply,
});

describe('accessLogFilter', () => {
  it.each([
    ['a client error', answered('GET', 402)],
    ['a server error', answered('GET', 503)],
    ['a write', answered('PUT', 200)],
    ['a webhook', answered('POST', 200)],
    ['a slow read', answered('GET', 200, 1500)],
  ])('always logs %s, even at sample rate 0', (_case, { request, reply }) => {
    expect(accessLogFilter(0)(request, reply)).toBe(true);
  });

  it('logs fast successful reads at the sample rate', () => {
    const { request, reply } = answered('GET', 200);
    expect(accessLogFilter(0)(request, reply)).toBe(false);
    expect(accessLogFilter(1)(request, reply)).toBe(true);
    const logs = accessLogFilter(0.25);
    const logged = Array.from({ length: 4000 }, () => logs(request, reply)).filter(Boolean).length;
    // Binomial(4000, 0.25): mean 1000, standard deviation 27; 8 of them either side.
    expect(logged).toBeGreaterThan(780);
    expect(logged).toBeLessThan(1220);
  });
});
