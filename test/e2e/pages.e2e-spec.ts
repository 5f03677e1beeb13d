import { describe, expect, it } from '@jest/globals';
import { PACKAGE_INFO } from '../../src/common/package-info.js';
import { loadConfig } from '../../src/config/app-config.js';
import { useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';

const PAGES = ['/', '/checkout/success', '/checkout/cancel'];

describe('pages: the start page and the checkout return pages', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo);
  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers });

  it.each(PAGES)('%s is an HTML page anyone may open', async (url) => {
    const page = await get(url);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toMatch(/^<!doctype html>/);
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('the start page names packgate and its version, and links the docs and health', async () => {
    const page = await get('/');
    expect(page.body).toContain(`<h1>${PACKAGE_INFO.name}</h1>`);
    expect(page.body).toContain(`version ${PACKAGE_INFO.version}`);
    expect(page.body).toContain('href="/docs"');
    expect(page.body).toContain('href="/health"');
  });

  it('the return pages say what happens next', async () => {
    expect((await get('/checkout/success')).body).toContain('Your package is granted as soon as');
    expect((await get('/checkout/cancel')).body).toContain('nothing was charged');
  });

  it('shows no configuration: no secret or table name of the running app is on any page', async () => {
    for (const url of PAGES) {
      const { body } = await get(url);
      expect(body).not.toContain(t.tableName);
      expect(body).not.toContain('whsec_');
      expect(body).not.toContain('secret');
    }
  });

  it("each page's CSP allows only its own stylesheet, by a nonce fresh on every answer", async () => {
    const [first, second] = [await get('/'), await get('/')];
    const nonceOf = (csp: unknown) => /style-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(String(csp))?.[1];
    const nonce = nonceOf(first.headers['content-security-policy']);
    expect(nonce).toBeDefined();
    expect(first.body).toContain(`<style nonce="${nonce}">`);
    expect(nonceOf(second.headers['content-security-policy'])).not.toBe(nonce);
    const csp = String(first.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-');
    expect(csp).not.toContain('script-src');
  });

  it('keeps the API answers on the strict API policy', async () => {
    const health = await get('/health');
    expect(health.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('is where Stripe sends the buyer back by default', () => {
    const { successUrl, cancelUrl } = loadConfig({ PORT: '3000' }).payments;
    expect(new URL(successUrl).pathname).toBe('/checkout/success');
    expect(new URL(cancelUrl).pathname).toBe('/checkout/cancel');
  });
});
