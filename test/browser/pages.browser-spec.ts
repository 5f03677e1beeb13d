import { describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PACKAGE_INFO } from '../../src/common/package-info.js';
import { useBrowser, watchProblems } from '../support/browser.js';
import {
  apiRoutes,
  RECORDED_ROUTES,
  RouteRecorderModule,
  type RecordedRoute,
} from '../support/route-recorder.js';
import { useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';

async function listen(app: NestFastifyApplication): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

describe('pages and /docs in Chromium', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo, {}, [RouteRecorderModule]);
  const chromium = useBrowser();
  let base = '';

  /** Opens `path`, lets `check` look at it, then asserts nothing went wrong on the page. */
  async function visit(path: string, check: (page: import('playwright-core').Page) => Promise<void>) {
    if (!base) base = await listen(t.app);
    const page = await chromium.browser.newPage();
    try {
      const problems = await watchProblems(page);
      const response = await page.goto(`${base}${path}`, { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      await check(page);
      expect(await problems()).toEqual([]);
    } finally {
      await page.close();
    }
  }

  it('the start page renders, styled, with the name, version and links', async () => {
    await visit('/', async (page) => {
      expect(await page.locator('h1').textContent()).toBe(PACKAGE_INFO.name);
      expect(await page.locator('.version').textContent()).toBe(`version ${PACKAGE_INFO.version}`);
      expect(await page.locator('a[href="/docs"]').count()).toBe(1);
      expect(await page.locator('a[href="/health"]').count()).toBe(1);
      // The nonce'd stylesheet applied: the body is 40rem wide at most, not the browser's full width.
      expect(await page.evaluate('getComputedStyle(document.body).maxWidth')).toBe('640px');
    });
  }, 30_000);

  it.each([
    ['/checkout/success', 'Thank you: your payment went through'],
    ['/checkout/cancel', 'Checkout cancelled: nothing was charged'],
  ])(
    '%s renders and says what happens next',
    async (path, heading) => {
      await visit(path, async (page) => {
        expect(await page.locator('h1').textContent()).toBe(heading);
        expect(await page.locator('a[href="/"]').count()).toBe(1);
      });
    },
    30_000,
  );

  it('/docs lists every route the app registered', async () => {
    const registered = apiRoutes(t.app.get<RecordedRoute[]>(RECORDED_ROUTES));
    await visit('/docs', async (page) => {
      await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
      const listed = await page.$$eval('.opblock', (blocks) =>
        blocks.map((block) => {
          const method = block.querySelector('.opblock-summary-method')?.textContent ?? '';
          const path = block.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '';
          return `${method.toUpperCase()} ${path}`;
        }),
      );
      expect(listed.sort()).toEqual(registered);
      expect(await page.locator('.info .title').textContent()).toContain(PACKAGE_INFO.name);
    });
  }, 60_000);
});
