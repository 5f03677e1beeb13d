import { describe, expect, it } from '@jest/globals';
import { resolve } from 'node:path';
import { ConfigError, DEV_AUDIENCE, DEV_ISSUER, loadConfig } from './app-config.js';

const DEV_SECRET = 'a-development-secret-of-32-chars!';
const OIDC = { AUTH_ISSUER: 'https://login.example.com/', AUTH_AUDIENCE: 'packgate-api' };

/** The ConfigError loadConfig throws for `env`; fails the test if it accepts it. */
function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('runs on an empty environment: embedded DynamoDB, dev-secret auth kept in a file, port 3000', () => {
    expect(loadConfig({})).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      dynamo: {
        endpoint: { kind: 'local', dataDir: resolve('.data/dynamodb'), port: 0 },
        tableName: 'packgate-users',
      },
      auth: {
        mode: 'dev-secret',
        issuer: DEV_ISSUER,
        audience: DEV_AUDIENCE,
        secret: { file: resolve('.data/auth-dev-secret') },
      },
    });
  });

  it('counts empty strings as unset', () => {
    const blank = { NODE_ENV: '', PORT: '', DYNAMO_ENDPOINT: '', DYNAMO_TABLE_NAME: '', AUTH_DEV_SECRET: '' };
    expect(loadConfig(blank)).toEqual(loadConfig({}));
  });

  it('takes a given dev secret and an http(s) endpoint', () => {
    const config = loadConfig({ AUTH_DEV_SECRET: DEV_SECRET, DYNAMO_ENDPOINT: 'http://127.0.0.1:8000' });
    expect(config.auth).toMatchObject({ mode: 'dev-secret', secret: { value: DEV_SECRET } });
    expect(config.dynamo.endpoint).toEqual({
      kind: 'url',
      url: 'http://127.0.0.1:8000',
      awsCredentials: false,
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', ' '],
    ['PORT', '0x10'],
    ['PORT', '1e3'],
    ['PORT', '65536'],
    ['DYNAMO_ENDPOINT', 'ftp://x'],
    ['DYNAMO_TABLE_NAME', 'a'],
    ['AUTH_JWKS_URL', 'notaurl'],
    ['AUTH_DEV_SECRET', 'too-short'],
    ['DYNAMO_TIMEOUT_MS', '0'],
  ])('refuses %s=%j with a message naming it', (variable, value) => {
    expect(refusal({ [variable]: value }).message).toContain(variable);
  });

  it('names every bad variable at once', () => {
    const { message } = refusal({ PORT: 'abc', DYNAMO_TIMEOUT_MS: '0' });
    expect(message).toContain('PORT');
    expect(message).toContain('DYNAMO_TIMEOUT_MS');
  });

  it('refuses AUTH_DEV_SECRET together with AUTH_JWKS_URL', () => {
    const { message } = refusal({
      AUTH_DEV_SECRET: DEV_SECRET,
      AUTH_JWKS_URL: 'https://login.example.com/jwks',
    });
    expect(message).toContain('AUTH_DEV_SECRET');
    expect(message).toContain('AUTH_JWKS_URL');
  });

  describe('NODE_ENV=production', () => {
    const production = { NODE_ENV: 'production', ...OIDC };

    it('defaults to DynamoDB on AWS and OIDC tokens', () => {
      const config = loadConfig(production);
      expect(config.dynamo.endpoint).toEqual({ kind: 'aws' });
      expect(config.auth).toMatchObject({
        mode: 'oidc',
        issuer: OIDC.AUTH_ISSUER,
        audience: OIDC.AUTH_AUDIENCE,
      });
    });

    it('refuses the embedded DynamoDB', () => {
      expect(refusal({ ...production, DYNAMO_ENDPOINT: 'local' }).message).toContain('DYNAMO_ENDPOINT');
    });

    it('refuses AUTH_DEV_SECRET', () => {
      expect(refusal({ ...production, AUTH_DEV_SECRET: DEV_SECRET }).message).toContain('AUTH_DEV_SECRET');
    });

    it.each(['AUTH_ISSUER', 'AUTH_AUDIENCE'])('requires %s', (variable) => {
      expect(refusal({ ...production, [variable]: '' }).message).toContain(variable);
    });
  });
});
