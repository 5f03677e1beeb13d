import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config.js';
import { LOCAL_STRIPE_SECRET_KEY, LocalStripe } from './local-stripe.js';

describe('LocalStripe', () => {
  let dir: string;
  let stateFile: string;
  const opened: LocalStripe[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'packgate-local-stripe-'));
    stateFile = join(dir, 'stripe-local.json');
  });
  afterEach(async () => {
    for (const local of opened.splice(0).reverse()) await local.onApplicationShutdown();
    await rm(dir, { recursive: true, force: true });
  });

  async function open(env: Record<string, string> = {}): Promise<LocalStripe> {
    const config = loadConfig({ STRIPE_LOCAL_FILE: stateFile, ...env });
    const local = await LocalStripe.open(config.payments, config.packages);
    opened.push(local);
    return local;
  }
  const price = async (url: string, id: string) =>
    (await (await fetch(`${url}/v1/prices/${id}`)).json()) as {
      type: string;
      recurring: { interval: string } | null;
    };

  it('sells every price PACKAGES lists: by the month or year when its id says so, else once', async () => {
    const local = await open({ PACKAGES: '1:basic:price_basic,2:pro:price_pro_yearly|price_pro_monthly' });
    const url = local.url ?? '';
    expect(await price(url, 'price_basic')).toMatchObject({ type: 'one_time', recurring: null });
    expect(await price(url, 'price_pro_yearly')).toMatchObject({
      type: 'recurring',
      recurring: { interval: 'year' },
    });
    expect(await price(url, 'price_pro_monthly')).toMatchObject({ recurring: { interval: 'month' } });
  });

  it('points the SDK settings at itself with the development key, and leaves them alone when off', async () => {
    const local = await open();
    const payments = loadConfig({}).payments;
    expect(local.clientSettings(payments)).toMatchObject({
      stripeSecretKey: LOCAL_STRIPE_SECRET_KEY,
      stripeApiUrl: local.url,
    });
    const off = await open({ STRIPE_LOCAL: 'false' });
    expect(off.url).toBeNull();
    expect(off.clientSettings(payments)).toBe(payments);
  });

  it('writes its address for stripe:simulate, and a second process uses the running one', async () => {
    const first = await open();
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({ url: first.url, pid: process.pid });
    const second = await open();
    expect(second.url).toBe(first.url);
    await second.onApplicationShutdown();
    expect(existsSync(stateFile)).toBe(true);
    await first.onApplicationShutdown();
    expect(existsSync(stateFile)).toBe(false);
  });

  it('starts its own when the state file is stale (a server that crashed)', async () => {
    await writeFile(stateFile, JSON.stringify({ url: 'http://127.0.0.1:9', pid: process.pid }));
    const local = await open();
    expect(local.url).not.toBe('http://127.0.0.1:9');
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).url).toBe(local.url);
  });
});
