import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../../config/app-config.js';
import { catalogChangeRefusal, describeChange, reviewCatalog } from './catalog-history.js';
import { CatalogRecordRepository, CatalogRecordUnavailableError } from './catalog-record.js';

// Each lost race means another instance wrote the record meanwhile; a few in a row is already unusual.
const MAX_ATTEMPTS = 5;

/**
 * At start (after the tables exist): records PACKAGES' id→name mapping the first time, adds new ids
 * later, and refuses a PACKAGES that renames or drops a recorded id unless PACKAGES_ALLOW_RENAME names it.
 */
@Injectable()
export class CatalogHistoryCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('PackageCatalog');

  constructor(
    private readonly records: CatalogRecordRepository,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const packages = this.config.get('packages', { infer: true });
    const allowRename = this.config.get('packageRenamesAllowed', { infer: true });
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const stored = await this.records.read();
      const review = reviewCatalog(stored?.packages ?? new Map(), packages, allowRename);
      if (review.refused.length > 0) throw catalogChangeRefusal(review.refused);
      if (stored && review.added.length === 0 && review.allowed.length === 0) return;
      if (await this.records.replace(review.next, stored?.version ?? null)) {
        for (const change of review.allowed) {
          this.logger.warn(`${describeChange(change)}: changed on purpose (PACKAGES_ALLOW_RENAME)`);
        }
        const added = review.added.map((id) => `${id}:${review.next.get(id)}`).join(', ');
        if (added) this.logger.log(`recorded ${stored ? 'new packages' : 'the package catalog'}: ${added}`);
        return;
      }
    }
    throw new CatalogRecordUnavailableError(
      `the package catalog record changed ${MAX_ATTEMPTS} times while this instance started; start it again.`,
    );
  }
}
