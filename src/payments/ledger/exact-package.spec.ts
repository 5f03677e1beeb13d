import { describe, expect, it } from '@jest/globals';
import type { Email } from '../../common/email.js';
import type { UserPackageState } from '../../users/user.js';
import { exactPackageChanges, exactPackageStep, type ExactSource } from './exact-package.js';
import { derivePackage, mergeFacts, newGrant, withGrant, type Grant } from './grant.js';
import type { AuditEntry, LedgerCommit, LedgerRepository } from './ledger.js';

const EMAIL = 'buyer@example.com' as Email;
const STAFF: ExactSource = { type: 'staff', staffEmail: 'boss@example.com' as Email };
const paid = (key: string, packageId: number): Grant => ({
  ...mergeFacts(newGrant(key), { email: EMAIL, packageId, paid: true }),
  version: 1,
});

/** Grant items and the user item in memory, changed only by committing steps, as the ledger does. */
class InMemoryLedger {
  readonly grants = new Map<string, Grant>();
  readonly audit: AuditEntry[] = [];
  state: UserPackageState;

  constructor(grants: Grant[]) {
    for (const grant of grants) this.grants.set(grant.key, grant);
    const map = grants.reduce(withGrant, {});
    this.state = {
      packageId: derivePackage(map),
      storedPackageId: derivePackage(map),
      grants: map,
      grantUntil: {},
      subscription: null,
      version: 1,
    };
  }

  readonly repository = {
    grantsOf: async (keys: string[]) => keys.flatMap((key) => this.grants.get(key) ?? []),
  } as unknown as LedgerRepository;

  commit(commit: LedgerCommit): number {
    for (const { grant } of commit.grants)
      this.grants.set(grant.key, { ...grant, version: grant.version + 1 });
    const { packageId, grants } = commit.user!;
    this.state = {
      ...this.state,
      packageId,
      storedPackageId: packageId,
      grants,
      version: this.state.version + 1,
    };
    if (commit.audit) this.audit.push(commit.audit);
    return commit.grants.length + 1 + (commit.audit ? 1 : 0);
  }
}

describe('setting a package to exactly one', () => {
  it('adds the grant first, then revokes from the lowest package up; a legacy entry above leaves', () => {
    const grants = [paid('pi_3', 3), paid('pi_2', 2), paid('pi_1', 1)];
    const map = { ...grants.reduce(withGrant, {}), legacy: 3 };
    const changes = exactPackageChanges(EMAIL, map, grants, 1, 'staff:x');
    expect(changes.grants.map((grant) => [grant.key, grant.revokedByStaff ?? false])).toEqual([
      ['pi_2', true],
      ['pi_3', true],
    ]);
    expect(changes.unbacked).toEqual(['legacy']);
    const up = exactPackageChanges(EMAIL, map, grants, 4, 'staff:x');
    expect(up.grants.map((grant) => [grant.key, grant.packageId])).toEqual([['staff:x', 4]]);
  });

  it('takes 250 grants away in transactions of at most 100 actions, each leaving a derived package', async () => {
    const many = Array.from({ length: 250 }, (_, i) => paid(`pi_${i}`, i < 100 ? 1 : 2));
    const ledger = new InMemoryLedger(many);
    const sizes: number[] = [];
    for (let more = true; more;) {
      const step = await exactPackageStep(ledger.repository, EMAIL, ledger.state, 0, STAFF, 'x');
      sizes.push(ledger.commit(step.commit!));
      expect(ledger.state.packageId).toBe(derivePackage(ledger.state.grants));
      more = step.more ?? false;
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
    expect(sizes).toHaveLength(3);
    expect(ledger.state).toMatchObject({ packageId: 0, grants: {} });
    expect(ledger.audit.map(({ from, to }) => [from, to])).toEqual([[2, 0]]);
    expect([...ledger.grants.values()].every((grant) => grant.revokedByStaff)).toBe(true);
    expect(await exactPackageStep(ledger.repository, EMAIL, ledger.state, 0, STAFF, 'x')).toEqual({
      commit: null,
    });
  });
});
