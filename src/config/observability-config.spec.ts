import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './app-config.js';

describe('ACCESS_LOG, ACCESS_LOG_SAMPLE, METRICS_TOKEN and METRICS_PORT', () => {
  it('logs a tenth of the fast successful reads and serves no metrics by default, in every mode', () => {
    expect(loadConfig({})).toMatchObject({ accessLog: { sampleRate: 0.1 }, metrics: null });
    expect(loadConfig({ NODE_ENV: 'test' })).toMatchObject({ accessLog: { sampleRate: 0.1 }, metrics: null });
  });

  it('reads ACCESS_LOG=off, a sample rate and a METRICS_TOKEN', () => {
    const token = 'a-metrics-token-0123456789';
    expect(loadConfig({ ACCESS_LOG: 'off', METRICS_TOKEN: token })).toMatchObject({
      accessLog: null,
      metrics: { token, listen: null },
    });
    for (const [raw, sampleRate] of [
      ['1', 1],
      ['0', 0],
      ['0.25', 0.25],
      ['1.0', 1],
    ] as const) {
      expect(loadConfig({ ACCESS_LOG_SAMPLE: raw }).accessLog).toEqual({ sampleRate });
    }
  });

  it.each(['1.5', '-0.1', '10%', '.5', 'all'])('refuses ACCESS_LOG_SAMPLE=%s', (raw) => {
    expect(() => loadConfig({ ACCESS_LOG_SAMPLE: raw })).toThrow(
      'ACCESS_LOG_SAMPLE must be a fraction from 0 to 1',
    );
  });

  it('refuses a short or oddly spelled METRICS_TOKEN without repeating it', () => {
    for (const token of ['short-token', 'has spaces in it, sixteen+', 'quote"quote"quote"quote']) {
      expect(() => loadConfig({ METRICS_TOKEN: token })).toThrow(ConfigError);
      expect(() => loadConfig({ METRICS_TOKEN: token })).toThrow(
        /^METRICS_TOKEN must be 16-256.*value not shown/,
      );
    }
  });

  it('refuses an ACCESS_LOG other than on or off', () => {
    expect(() => loadConfig({ ACCESS_LOG: 'yes' })).toThrow("ACCESS_LOG must be 'on' or 'off'");
  });

  it('reads METRICS_PORT, on HOST unless METRICS_HOST says otherwise, with or without a token', () => {
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics).toEqual({
      token: null,
      listen: { port: 9464, host: '0.0.0.0' },
    });
    const token = 'a-metrics-token-0123456789';
    expect(loadConfig({ METRICS_PORT: '0', METRICS_HOST: '10.0.0.5', METRICS_TOKEN: token }).metrics).toEqual(
      {
        token,
        listen: { port: 0, host: '10.0.0.5' },
      },
    );
  });

  it.each([
    [{ METRICS_PORT: 'abc' }, /^METRICS_PORT must be/],
    [{ METRICS_PORT: '70000' }, /^METRICS_PORT must be/],
    [{ METRICS_HOST: '127.0.0.1' }, /^METRICS_HOST is set without METRICS_PORT/],
    [{ PORT: '8080', METRICS_PORT: '8080' }, /^METRICS_PORT \(8080\) must differ from PORT/],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
