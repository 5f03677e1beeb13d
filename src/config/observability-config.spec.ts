import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './app-config.js';

describe('ACCESS_LOG and METRICS_TOKEN', () => {
  it('logs every request and serves no metrics by default, in every mode', () => {
    expect(loadConfig({})).toMatchObject({ accessLog: true, metrics: null });
    expect(loadConfig({ NODE_ENV: 'test' })).toMatchObject({ accessLog: true, metrics: null });
  });

  it('reads ACCESS_LOG=off and a METRICS_TOKEN', () => {
    const token = 'a-metrics-token-0123456789';
    expect(loadConfig({ ACCESS_LOG: 'off', METRICS_TOKEN: token })).toMatchObject({
      accessLog: false,
      metrics: { token },
    });
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
});
