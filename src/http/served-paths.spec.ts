import { describe, expect, it } from '@jest/globals';
import Fastify from 'fastify';
import { ServedPaths } from './served-paths.js';

async function servedWith(...urls: string[]): Promise<ServedPaths> {
  const fastify = Fastify();
  const paths = new ServedPaths();
  paths.watch(fastify);
  for (const url of urls) fastify.post(url, async () => ({}));
  await fastify.ready();
  await fastify.close();
  return paths;
}

describe('ServedPaths', () => {
  it('names the hinted routes as served under a global prefix, top level and one object down', async () => {
    const paths = await servedWith('/api/payments/checkout', '/api/payments/portal', '/api/health');
    expect(
      paths.inDetails({
        checkout: '/payments/checkout',
        portal: '/payments/portal',
        upgrade: { package: 'pro', checkout: '/payments/checkout' },
        other: '/payments/other',
        limit: 3,
      }),
    ).toEqual({
      checkout: '/api/payments/checkout',
      portal: '/api/payments/portal',
      upgrade: { package: 'pro', checkout: '/api/payments/checkout' },
      other: '/payments/other',
      limit: 3,
    });
  });

  it('keeps packgate’s own unprefixed route over an app’s route ending the same way', async () => {
    const first = await servedWith('/payments/checkout', '/shop/payments/checkout');
    const second = await servedWith('/shop/payments/checkout', '/payments/checkout');
    expect(first.of('/payments/checkout')).toBe('/payments/checkout');
    expect(second.of('/payments/checkout')).toBe('/payments/checkout');
  });

  it('leaves the hints as they are when the routes are not served', async () => {
    const paths = await servedWith('/health');
    expect(paths.inDetails({ checkout: '/payments/checkout' })).toEqual({ checkout: '/payments/checkout' });
  });

  it('hands the details back untouched, without a copy, when every hinted route is served as named', async () => {
    const paths = await servedWith('/payments/checkout', '/payments/portal');
    const details = { checkout: '/payments/checkout', upgrade: { portal: '/payments/portal' } };
    expect(paths.inDetails(details)).toBe(details);
  });
});
