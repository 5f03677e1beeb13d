import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './app-config.js';

const http = (env: Record<string, string>) => loadConfig(env).http;

describe('HTTP settings', () => {
  it('defaults: no proxy trusted, slow clients cut within 10 s, 16 KiB headers, 1 MiB bodies, no CORS', () => {
    expect(loadConfig({})).toMatchObject({
      http: {
        trustProxy: false,
        requestTimeoutMs: 9000,
        keepAliveTimeoutMs: 5000,
        connectionTimeoutMs: 60000,
        maxHeaderBytes: 16384,
        bodyLimitBytes: 1048576,
      },
      cors: { origins: [], maxAgeS: 600 },
      auth: { maxTokenAgeS: 86400 },
    });
  });

  it.each<[string, false | number | string[]]>([
    ['false', false],
    ['0', false],
    ['2', 2],
    [
      '10.0.0.0/8, 127.0.0.1 ,::1, fd00::/8, loopback',
      ['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8', 'loopback'],
    ],
  ])('reads TRUST_PROXY=%s', (raw, expected) => {
    expect(http({ TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it.each(['true', '10.0.0.0/33', '10.0.0/8', 'proxy.internal', '10.0.0.1/8/1', '1.2.3.4,'])(
    'refuses TRUST_PROXY=%s, naming the variable',
    (raw) => {
      expect(() => http({ TRUST_PROXY: raw })).toThrow(ConfigError);
      expect(() => http({ TRUST_PROXY: raw })).toThrow(/^TRUST_PROXY /);
    },
  );

  it('reads CORS_ORIGINS as exact origins', () => {
    const env = { CORS_ORIGINS: 'https://App.example.com/, http://localhost:5173', CORS_MAX_AGE_S: '60' };
    expect(loadConfig(env).cors).toEqual({
      origins: ['https://app.example.com', 'http://localhost:5173'],
      maxAgeS: 60,
    });
  });

  it.each([
    '*',
    'https://app.example.com/path',
    'app.example.com',
    'ftp://files.example.com',
    'https://*.example.com',
  ])('refuses CORS_ORIGINS=%s', (raw) => {
    expect(() => loadConfig({ CORS_ORIGINS: raw })).toThrow(/^CORS_ORIGINS /);
  });

  it.each([
    ['AUTH_MAX_TOKEN_AGE', '12h', { auth: { maxTokenAgeS: 43200 } }],
    ['HTTP_REQUEST_TIMEOUT_MS', '30000', { http: { requestTimeoutMs: 30000 } }],
  ])('reads %s=%s', (name, raw, expected) => {
    expect(loadConfig({ [name]: raw })).toMatchObject(expected);
  });

  it.each([
    ['AUTH_MAX_TOKEN_AGE', '30s'],
    ['AUTH_MAX_TOKEN_AGE', '1 day'],
    ['HTTP_REQUEST_TIMEOUT_MS', '0'],
    ['HTTP_MAX_HEADER_BYTES', '1000000'],
  ])('refuses %s=%s', (name, raw) => {
    expect(() => loadConfig({ [name]: raw })).toThrow(new RegExp(`^${name} `));
  });

  it('refuses a connection timeout shorter than the request timeout', () => {
    const env = { HTTP_REQUEST_TIMEOUT_MS: '20000', HTTP_CONNECTION_TIMEOUT_MS: '10000' };
    expect(() => loadConfig(env)).toThrow(/^HTTP_CONNECTION_TIMEOUT_MS \(10000\) must be at least/);
  });
});

describe('failure limits, shutdown grace and readiness cache', () => {
  it('defaults: 20 failures a minute per address for tokens and webhook signatures, 10 s grace, 5 s cache', () => {
    expect(loadConfig({})).toMatchObject({
      failureLimits: {
        authentication: { limit: 20, windowS: 60 },
        webhookSignature: { limit: 20, windowS: 60 },
      },
      shutdownGraceMs: 10000,
      readyCacheMs: 5000,
    });
  });

  it.each([
    ['20/1m', { limit: 20, windowS: 60 }],
    ['20/m', { limit: 20, windowS: 60 }],
    [' 5 / 30s ', { limit: 5, windowS: 30 }],
    ['1000/1h', { limit: 1000, windowS: 3600 }],
    ['off', null],
  ])('reads AUTH_FAILURE_LIMIT=%s', (raw, expected) => {
    expect(loadConfig({ AUTH_FAILURE_LIMIT: raw }).failureLimits.authentication).toEqual(expected);
  });

  it.each(['20', '20/', '0/1m', '20/1ms', '20/2d', '20/1m/1h', 'twenty/1m', '-1/1m'])(
    'refuses WEBHOOK_FAILURE_LIMIT=%s, saying the form',
    (raw) => {
      expect(() => loadConfig({ WEBHOOK_FAILURE_LIMIT: raw })).toThrow(
        /^WEBHOOK_FAILURE_LIMIT must be <count>\/<window> such as 20\/1m, or off — /,
      );
    },
  );

  it.each([
    ['SHUTDOWN_GRACE_MS', '500'],
    ['READY_CACHE_MS', '120000'],
  ])('refuses %s=%s', (name, raw) => {
    expect(() => loadConfig({ [name]: raw })).toThrow(new RegExp(`^${name} must be an integer`));
  });
});
