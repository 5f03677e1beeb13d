import type { CatalogRecord } from './catalog-history.js';

/** The record as stored, with the version its next replacement is conditional on. */
export interface StoredCatalogRecord {
  packages: CatalogRecord;
  version: number;
}

/** The catalog record could not be read or written: start-up cannot tell whether PACKAGES is safe. */
export class CatalogRecordUnavailableError extends Error {
  override name = 'CatalogRecordUnavailableError';
}

/** Where the id→name record of the package catalog is kept. An abstract class to serve as DI token. */
export abstract class CatalogRecordRepository {
  /** Strongly consistent; null before packgate first started on this ledger table. */
  abstract read(): Promise<StoredCatalogRecord | null>;

  /**
   * Stores `packages` if the record is still at `expectedVersion` (null: still absent). False when
   * another instance, starting at the same time, wrote first.
   */
  abstract replace(packages: CatalogRecord, expectedVersion: number | null): Promise<boolean>;
}
