import { describe, expect, it } from '@jest/globals';
import { rateLimitHeaders, throttledHeaders } from './rate-limit-headers.js';

const status = { policy: 'failed-auth', quota: 20, windowS: 60, remaining: 0, resetS: 37 };

describe('RateLimit header fields (draft-ietf-httpapi-ratelimit-headers)', () => {
  it('names the policy with a Structured Field String and gives q, w, r and t as integers', () => {
    expect(rateLimitHeaders(status)).toEqual({
      'RateLimit-Policy': '"failed-auth";q=20;w=60',
      RateLimit: '"failed-auth";r=0;t=37',
    });
  });

  it('adds a Retry-After naming the same moment as t, a fraction of a second rounded up', () => {
    expect(throttledHeaders({ ...status, resetS: 36.2 })).toEqual({
      'Retry-After': '37',
      'RateLimit-Policy': '"failed-auth";q=20;w=60',
      RateLimit: '"failed-auth";r=0;t=37',
    });
  });

  it('escapes quotes and backslashes in a policy name and refuses what a String cannot hold', () => {
    expect(rateLimitHeaders({ ...status, policy: 'a"b\\c' }).RateLimit).toBe('"a\\"b\\\\c";r=0;t=37');
    expect(() => rateLimitHeaders({ ...status, policy: 'café' })).toThrow(/printable ASCII/);
  });
});
