import { ConfigError } from '../../config/app-config.js';
import type { PackageDefinition } from '../../config/packages.js';

/** Package names by id, as recorded the first time packgate started on a ledger table (and since). */
export type CatalogRecord = ReadonlyMap<number, string>;

/** A recorded package that PACKAGES now names differently (`now`) or no longer lists (`now` absent). */
export interface CatalogChange {
  id: number;
  was: string;
  now?: string;
}

export interface CatalogReview {
  /** What the record should say after this start. */
  next: CatalogRecord;
  /** Ids listed for the first time. */
  added: number[];
  /** Changes PACKAGES_ALLOW_RENAME lets through. */
  allowed: CatalogChange[];
  /** Changes that refuse start-up: they would change what existing users hold. */
  refused: CatalogChange[];
}

/** Start-up refused: PACKAGES renames or drops a package users may hold, and nobody said it was on purpose. */
export class CatalogChangeError extends ConfigError {
  override name = 'CatalogChangeError';
}

/**
 * Compares PACKAGES with the record. Users' package ids are stored bare, so a recorded id must keep its
 * name: renaming it, or dropping it (to reuse later), would silently change what its holders bought.
 */
export function reviewCatalog(
  recorded: CatalogRecord,
  packages: readonly PackageDefinition[],
  allowRename: readonly number[],
): CatalogReview {
  const listed = new Map(packages.map((pkg) => [pkg.id, pkg.name]));
  const changes: CatalogChange[] = [];
  for (const [id, was] of recorded) {
    const now = listed.get(id);
    if (now !== was) changes.push(now === undefined ? { id, was } : { id, was, now });
  }
  const allowed = changes.filter((change) => allowRename.includes(change.id));
  const removed = new Set(allowed.filter((change) => change.now === undefined).map((change) => change.id));
  const next = new Map([...recorded].filter(([id]) => !removed.has(id)));
  for (const [id, name] of listed) next.set(id, name);
  return {
    next: new Map([...next].sort(([a], [b]) => a - b)),
    added: [...listed.keys()].filter((id) => !recorded.has(id)),
    allowed,
    refused: changes.filter((change) => !allowRename.includes(change.id)),
  };
}

/** One change, as the start-up line and the logs say it. */
export function describeChange({ id, was, now }: CatalogChange): string {
  return now === undefined
    ? `package ${id} was "${was}" and is no longer listed`
    : `package ${id} was "${was}" and is now "${now}"`;
}

/** The one line that refuses start-up: what changed, and how to proceed on purpose. */
export function catalogChangeRefusal(refused: readonly CatalogChange[]): CatalogChangeError {
  const renames = refused.some((change) => change.now !== undefined);
  const drops = refused.some((change) => change.now === undefined);
  const advice = [
    ...(renames ? ['give a new tier a new, higher id (ids are ranks)'] : []),
    ...(drops ? ['keep listing every package users may hold'] : []),
  ].join(' and ');
  const them = refused.length === 1 ? 'it' : 'them';
  const act = renames && drops ? 'make these changes' : renames ? `rename ${them}` : `drop ${them}`;
  const ids = refused.map((change) => change.id).join(',');
  return new CatalogChangeError(
    `PACKAGES changes what existing users hold: ${refused.map(describeChange).join('; ')} — ${advice}, ` +
      `or set PACKAGES_ALLOW_RENAME=${ids} to ${act} on purpose.`,
  );
}
