import { describe, expect, it } from '@jest/globals';
import { parsePackages, type PackageDefinition } from '../../config/packages.js';
import {
  CatalogChangeError,
  catalogChangeRefusal,
  reviewCatalog,
  type CatalogRecord,
} from './catalog-history.js';

const packages = (raw: string) => parsePackages(raw) as PackageDefinition[];
const record = (entries: Array<[number, string]>): CatalogRecord => new Map(entries);
const BASIC_PRO = record([
  [1, 'basic'],
  [2, 'pro'],
]);

describe('reviewCatalog', () => {
  it('records every package the first time', () => {
    expect(reviewCatalog(new Map(), packages('2:pro,1:basic'), [])).toEqual({
      next: BASIC_PRO,
      added: [1, 2],
      allowed: [],
      refused: [],
    });
  });

  it('finds nothing to do when PACKAGES lists the same ids and names, whatever their prices', () => {
    expect(reviewCatalog(BASIC_PRO, packages('1:basic:price_b,2:pro:price_p2|price_p1'), [])).toEqual({
      next: BASIC_PRO,
      added: [],
      allowed: [],
      refused: [],
    });
  });

  it('adds new ids to the record', () => {
    const review = reviewCatalog(BASIC_PRO, packages('1:basic,2:pro,3:enterprise'), []);
    expect(review).toMatchObject({ added: [3], refused: [] });
    expect(review.next).toEqual(record([...BASIC_PRO, [3, 'enterprise']]));
  });

  it('refuses a renamed id and a dropped id', () => {
    expect(reviewCatalog(BASIC_PRO, packages('2:plus,3:pro'), [])).toMatchObject({
      added: [3],
      allowed: [],
      refused: [
        { id: 1, was: 'basic' },
        { id: 2, was: 'pro', now: 'plus' },
      ],
    });
  });

  it('lets PACKAGES_ALLOW_RENAME ids change or go, and records the change', () => {
    const review = reviewCatalog(BASIC_PRO, packages('2:plus,3:pro'), [1, 2]);
    expect(review).toMatchObject({
      refused: [],
      allowed: [
        { id: 1, was: 'basic' },
        { id: 2, was: 'pro', now: 'plus' },
      ],
    });
    expect(review.next).toEqual(
      record([
        [2, 'plus'],
        [3, 'pro'],
      ]),
    );
  });

  it('still refuses the changes PACKAGES_ALLOW_RENAME does not name', () => {
    expect(reviewCatalog(BASIC_PRO, packages('2:plus,3:pro'), [2]).refused).toEqual([
      { id: 1, was: 'basic' },
    ]);
  });
});

describe('catalogChangeRefusal', () => {
  it('says in one line what changed and how to proceed on purpose', () => {
    const error = catalogChangeRefusal([{ id: 2, was: 'pro', now: 'plus' }]);
    expect(error).toBeInstanceOf(CatalogChangeError);
    expect(error.message).toBe(
      'PACKAGES changes what existing users hold: package 2 was "pro" and is now "plus" — give a new tier a ' +
        'new, higher id (ids are ranks), or set PACKAGES_ALLOW_RENAME=2 to rename it on purpose.',
    );
  });

  it('names every refused id, dropped ones included', () => {
    const { message } = catalogChangeRefusal([
      { id: 1, was: 'basic' },
      { id: 2, was: 'pro', now: 'plus' },
    ]);
    expect(message).toContain('package 1 was "basic" and is no longer listed; package 2 was "pro"');
    expect(message).toContain('keep listing every package users may hold');
    expect(message).toContain('PACKAGES_ALLOW_RENAME=1,2 to make these changes on purpose.');
    expect(message).not.toContain('\n');
  });
});
