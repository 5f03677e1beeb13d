import { beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { parsePackages, type PackageDefinition } from '../../config/packages.js';
import { CatalogHistoryCheck } from './catalog-history.check.js';
import type { CatalogRecord } from './catalog-history.js';
import { CatalogRecordRepository, type StoredCatalogRecord } from './catalog-record.js';

/**
 * The record kept in memory, with the same conditional replace as the DynamoDB one. `racers` are other
 * instances that start between one of our reads and our write, each writing its own catalog first.
 */
class RacedRecords extends CatalogRecordRepository {
  stored: StoredCatalogRecord | null = null;
  replaced = 0;

  constructor(private readonly racers: CatalogRecord[] = []) {
    super();
  }

  read(): Promise<StoredCatalogRecord | null> {
    return Promise.resolve(this.stored);
  }

  replace(packages: CatalogRecord, expectedVersion: number | null): Promise<boolean> {
    const racer = this.racers.shift();
    if (racer) this.put(racer);
    if ((this.stored?.version ?? null) !== expectedVersion) return Promise.resolve(false);
    this.put(packages);
    this.replaced++;
    return Promise.resolve(true);
  }

  private put(packages: CatalogRecord): void {
    this.stored = { packages, version: (this.stored?.version ?? 0) + 1 };
  }
}

function check(records: CatalogRecordRepository, raw: string, allowRename: number[] = []) {
  const settings = {
    packages: parsePackages(raw) as PackageDefinition[],
    packageRenamesAllowed: allowRename,
  };
  const config = { get: (key: keyof typeof settings) => settings[key] };
  return new CatalogHistoryCheck(records, config as never).onApplicationBootstrap();
}

describe('CatalogHistoryCheck', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('reads again after losing the first write to an instance starting at the same time', async () => {
    const records = new RacedRecords([new Map([[1, 'basic']])]);
    await check(records, '1:basic,2:pro');
    expect(records.stored).toEqual({
      packages: new Map([
        [1, 'basic'],
        [2, 'pro'],
      ]),
      version: 2,
    });
  });

  it('refuses when the instance that won the race recorded another name for an id', async () => {
    const records = new RacedRecords([new Map([[2, 'plus']])]);
    await expect(check(records, '1:basic,2:pro')).rejects.toThrow('package 2 was "plus" and is now "pro"');
  });

  it('writes nothing when the record already says what PACKAGES says', async () => {
    const records = new RacedRecords();
    await check(records, '1:basic,2:pro');
    await check(records, '1:basic:price_b,2:pro:price_p');
    expect(records.replaced).toBe(1);
  });

  it('gives up with a start-up error after losing every attempt', async () => {
    const racers = Array.from({ length: 5 }, () => new Map<number, string>());
    await expect(check(new RacedRecords(racers), '1:basic')).rejects.toThrow(/changed 5 times/);
  });
});
