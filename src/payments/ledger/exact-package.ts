import { randomUUID } from 'node:crypto';
import type { Email } from '../../common/email.js';
import type { PackageChange, UserPackageState } from '../../users/user.js';
import type { SubscriptionSummary } from '../../users/user-subscription.js';
import { derivePackage, mergeFacts, newGrant, withGrant, type Grant } from './grant.js';
import type { AuditEntry, ChangeSource, LedgerCommit, LedgerRepository } from './ledger.js';

// Setting a user's package to exactly one — as staff do, and as a package_id written from outside
// packgate is honoured: grants above it are revoked, and a grant of it is added when the rest do not
// reach it; in as many transactions as that takes.

// A DynamoDB transaction holds at most 100 actions: a step's grant writes leave room for the user
// write and the audit entry.
const GRANTS_PER_STEP = 98;

/** One commit of a ledger decision; `more` when the decision must be made again once it commits. */
export interface Step {
  commit: LedgerCommit | null;
  more?: boolean;
}

/** Who sets a package to exactly one: staff, or a package_id written from outside packgate. */
export type ExactSource = Extract<ChangeSource, { type: 'staff' | 'external' }>;

/**
 * One transaction's worth of setting `email`'s package to exactly `target`. Staff steps each leave
 * the package derived from the grants as they then are; an outside write stays the package
 * throughout. `more` when the next step is to be decided after this one commits.
 */
export async function exactPackageStep(
  ledger: LedgerRepository,
  email: Email,
  state: UserPackageState | null,
  target: number,
  source: ExactSource,
  reason: string,
): Promise<Step> {
  const grants = state?.grants ?? {};
  const stored = await ledger.grantsOf(keysAbove(grants, target));
  const changes = exactPackageChanges(email, grants, stored, target, `${source.type}:${randomUUID()}`);
  const writes = changes.grants.slice(0, GRANTS_PER_STEP);
  const more = writes.length < changes.grants.length;
  const after = [...stored, ...writes].reduce(withGrant, more ? grants : omit(grants, changes.unbacked));
  const from = state?.packageId ?? 0;
  const to = more && source.type === 'external' ? from : derivePackage(after);
  if (writes.length === 0 && from === to && (!state || sameEntries(state.grants, after))) {
    return { commit: null }; // already exactly at that package
  }
  // Staff actions are on the record even when the package stays (revoking a grant under dispute); a
  // change in several steps is one entry, unless a step changes the package on the way.
  const audit: AuditEntry | undefined =
    more && from === to
      ? undefined
      : {
          email,
          from: source.type === 'external' ? derivePackage(grants) : from,
          to,
          source,
          reason,
          at: new Date().toISOString(),
        };
  const commit: LedgerCommit = {
    grants: writes.map((grant) => ({ grant, expectedVersion: grant.version })),
    user: packageChange(email, state, to, after),
    audit,
  };
  return { commit, more };
}

/** The user's grants that may be above `target`: active above it, or inactive and able to come back. */
export function keysAbove(grants: Record<string, number>, target: number): string[] {
  return Object.keys(grants).filter((key) => grants[key] > target || grants[key] === 0);
}

export interface ExactPackageChanges {
  /** Grant writes in commit order: the added grant first, then revocations from the lowest package up. */
  grants: Grant[];
  /** Map entries with no grant item (a pre-ledger `legacy` entry, an item removed by hand): they leave. */
  unbacked: string[];
}

/**
 * What setting the package to `target` changes, given the user's grants map and the grant items
 * stored under `keysAbove(grants, target)`. The order keeps every intermediate step of a change too
 * big for one transaction at or above the target, and at the old package until the last step.
 */
export function exactPackageChanges(
  email: Email,
  grants: Record<string, number>,
  stored: Grant[],
  target: number,
  addedKey: string,
): ExactPackageChanges {
  const found = new Set(stored.map((grant) => grant.key));
  const unbacked = keysAbove(grants, target).filter((key) => !found.has(key));
  const revoked = stored
    .filter((grant) => (grant.packageId ?? 0) > target && !grant.revokedByStaff)
    .sort((a, b) => (a.packageId ?? 0) - (b.packageId ?? 0))
    .map((grant) => mergeFacts(grant, { revokedByStaff: true }));
  const rest = revoked.reduce(withGrant, omit(grants, unbacked));
  const added =
    derivePackage(rest) < target
      ? [mergeFacts(newGrant(addedKey), { email, packageId: target, paid: true })]
      : [];
  return { grants: [...added, ...revoked], unbacked };
}

/**
 * The ledger's write of the user: conditional on the version and package_id as read. Time-bounded
 * grants keep their end of access unless `grantUntil` says otherwise; those no longer giving a package
 * leave. The user's current subscription stays as read unless `subscription` says otherwise.
 */
export function packageChange(
  email: Email,
  state: UserPackageState | null,
  packageId: number,
  grants: Record<string, number>,
  grantUntil: Record<string, number> = state?.grantUntil ?? {},
  subscription: SubscriptionSummary | null = state?.subscription ?? null,
): PackageChange {
  return {
    email,
    packageId,
    grants,
    grantUntil: Object.fromEntries(Object.entries(grantUntil).filter(([key]) => (grants[key] ?? 0) > 0)),
    subscription,
    expectedVersion: state ? state.version : null,
    expectedStoredPackageId: state?.storedPackageId ?? null,
  };
}

export function sameEntries(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function omit(record: Record<string, number>, keys: string[]): Record<string, number> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}
