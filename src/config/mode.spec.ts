import { describe, expect, it } from '@jest/globals';
import { loadConfig } from './app-config.js';
import { describeMode } from './mode.js';

describe('describeMode', () => {
  it('names every development stand-in in force', () => {
    expect(describeMode(loadConfig({}))).toEqual({
      standIns: true,
      line:
        'packgate mode: development — embedded DynamoDB Local, development tokens (HS256, npm run token), ' +
        'a generated Stripe webhook secret; not for real users (set NODE_ENV=production)',
    });
  });

  it('names only those in force', () => {
    const env = { DYNAMO_ENDPOINT: 'http://127.0.0.1:8000', STRIPE_WEBHOOK_SECRET: 'whsec_given' };
    expect(describeMode(loadConfig(env)).line).toBe(
      'packgate mode: development — development tokens (HS256, npm run token); not for real users (set NODE_ENV=production)',
    );
  });

  it('says production has none of them', () => {
    const production = loadConfig({
      NODE_ENV: 'production',
      AUTH_ISSUER: 'https://login.example.com/',
      AUTH_AUDIENCE: 'packgate-api',
    });
    expect(describeMode(production)).toEqual({
      standIns: false,
      line: 'packgate mode: production — no embedded database, no development tokens, no generated webhook secret',
    });
  });
});
