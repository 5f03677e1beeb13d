import { describe, expect, it } from '@jest/globals';
import type Stripe from 'stripe';
import { parsePackages, type PackageDefinition } from '../../config/packages.js';
import { PackageCatalog } from '../../entitlements/package-catalog.js';
import { interpretStripeEvent } from './stripe-event.interpreter.js';

const catalog = new PackageCatalog(
  parsePackages('1:basic:price_b2|price_b1,2:pro:price_p3|price_p2') as PackageDefinition[],
);

/** A paid checkout.session.completed whose metadata is our checkout's, with `metadata` merged over it. */
function completed(metadata: Record<string, string | undefined>): Stripe.Event {
  const session = {
    id: 'cs_test_1',
    object: 'checkout.session',
    mode: 'payment',
    payment_status: 'paid',
    client_reference_id: 'buyer@example.com',
    payment_intent: 'pi_1',
    metadata: { email: 'buyer@example.com', package_id: '2', price_id: 'price_p3', ...metadata },
  };
  return { id: 'evt_1', type: 'checkout.session.completed', data: { object: session } } as never;
}

describe('interpretStripeEvent: which package a paid session grants', () => {
  const granted = (packageId: number) => ({
    kind: 'grant-facts',
    grantKey: 'pi_1',
    facts: { email: 'buyer@example.com', packageId, paid: true },
  });

  it.each([
    ['the sold price', { price_id: 'price_p3' }, 2],
    ['an older price still listed', { price_id: 'price_p2' }, 2],
    ["basic's older price", { package_id: '1', price_id: 'price_b1' }, 1],
  ])('%s grants its package, with no warning', (_case, metadata, packageId) => {
    expect(interpretStripeEvent(completed(metadata), catalog)).toEqual(granted(packageId));
  });

  it('a price PACKAGES no longer lists grants the package in the metadata, with a warning', () => {
    const meaning = interpretStripeEvent(completed({ price_id: 'price_rotated_away' }), catalog);
    expect(meaning).toEqual({ ...granted(2), warning: expect.stringContaining('price_rotated_away') });
    expect(meaning).toMatchObject({ warning: expect.stringContaining('granted package 2 (pro)') });
  });

  it('a session without a price in its metadata grants its package, with a warning', () => {
    const meaning = interpretStripeEvent(completed({ price_id: undefined }), catalog);
    expect(meaning).toEqual({ ...granted(2), warning: expect.stringContaining('no price') });
  });

  it.each([
    [
      'another package’s price (a contradiction)',
      { package_id: '1', price_id: 'price_p2' },
      'package 2 (pro)',
    ],
    ['a package the catalog does not have', { package_id: '9' }, 'package 9'],
    ['package 0', { package_id: '0' }, 'package 0'],
    ['no package id', { package_id: undefined }, 'package ?'],
    ['a package id that is not plain digits', { package_id: '0x2' }, 'package 0x2'],
  ])('%s is a loud ignore', (_case, metadata, named) => {
    const meaning = interpretStripeEvent(completed(metadata), catalog);
    expect(meaning).toEqual({ kind: 'ignored', reason: expect.stringContaining(named), loud: true });
  });
});
