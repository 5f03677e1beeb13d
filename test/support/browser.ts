import { afterAll, beforeAll } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// No sandbox (CI runs as root); no background networking: the machine reaches no outside host, and
// Chromium's own calls home would fail on every start.
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** One headless Chromium for the file (Playwright gives it a fresh profile), closed after its tests. */
export function useBrowser(): { readonly browser: Browser } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
    });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('useBrowser(): Chromium starts in beforeAll; use it inside tests');
      return browser;
    },
  };
}

/**
 * What went wrong on a page: console errors (a CSP violation is one), uncaught exceptions, failed
 * requests and answers >= 400, and the `securitypolicyviolation` events themselves.
 */
export async function watchProblems(page: Page): Promise<() => Promise<string[]>> {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`exception: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`);
  });
  // Runs in the page before its own scripts (this file is compiled without the DOM's types).
  await page.addInitScript(`window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) =>
      window.cspViolations.push(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline')));`);
  return async () => {
    const violations = (await page.evaluate('window.cspViolations')) as string[];
    return [...problems, ...violations.map((violation) => `csp: ${violation}`)];
  };
}
