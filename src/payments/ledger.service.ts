import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type Stripe from 'stripe';
import { DependencyUnavailableError } from '../common/domain-error.js';
import type { Email } from '../common/email.js';
import { PackageCatalog } from '../entitlements/package-catalog.js';
import { UserPackageChanges } from '../users/user-package-changes.js';
import type { PackageChange, UserPackageState } from '../users/user.js';
import { UsersRepository } from '../users/users.repository.js';
import { CustomerDirectory } from './customer-directory.js';
import { derivePackage, mergeFacts, newGrant, withGrant, type Grant } from './grant.js';
import { LedgerRepository, type AuditEntry, type ChangeSource, type LedgerCommit } from './ledger.js';
import { EventNotApplicableError } from './payment.errors.js';
import { interpretStripeEvent, type Interpretation } from './stripe-event.interpreter.js';

export type EventOutcome = 'applied' | 'duplicate' | 'ignored';

// Concurrent events for one user or one purchase make a commit fail its version check; each retry reads
// again. More than a handful in a row means something is badly wrong: answer 503, Stripe retries.
const MAX_ATTEMPTS = 10;
const BACKOFF_BASE_MS = 5;

// A package_id written before the ledger existed (the tutorial's code, or an operator) counts as a
// grant of its own, so the first ledger change never silently drops it.
const LEGACY_GRANT = 'legacy';

/**
 * The grants ledger: applies Stripe events and staff decisions to grants, and derives each user's
 * package from them — the highest active grant, else 0 — in one transaction with the event's marker,
 * the grant, the user and the audit entry.
 */
@Injectable()
export class LedgerService {
  private readonly logger = new Logger('PaymentsLedger');

  constructor(
    private readonly ledger: LedgerRepository,
    private readonly users: UsersRepository,
    private readonly changes: UserPackageChanges,
    private readonly catalog: PackageCatalog,
    private readonly customers: CustomerDirectory,
  ) {}

  /** Applies a verified Stripe event exactly once, whatever the order and number of deliveries. */
  async applyStripeEvent(event: Stripe.Event): Promise<EventOutcome> {
    const meaning = await this.withCustomersUser(interpretStripeEvent(event, this.catalog));
    if (meaning.kind === 'ignored') {
      // Money may have moved: the caller parks the event where staff see it.
      if (meaning.loud) throw new EventNotApplicableError(meaning.reason);
      this.logger.debug(`event ${event.id} (${event.type}) not acted on: ${meaning.reason}`);
      return 'ignored';
    }
    if (meaning.warning) this.logger.warn(`event ${event.id} (${event.type}): ${meaning.warning}`);
    const source: ChangeSource = { type: 'stripe', eventId: event.id, eventType: event.type };
    return this.commitWithRetries(async () => {
      const before = (await this.ledger.getGrant(meaning.grantKey)) ?? newGrant(meaning.grantKey);
      const after = mergeFacts(before, meaning.facts);
      const userPart = after.email ? await this.userChange(after.email, [after], source) : {};
      return {
        event: { id: event.id, type: event.type, created: event.created },
        grants: [{ grant: after, expectedVersion: before.version }],
        ...userPart,
      };
    });
  }

  /**
   * Staff set a user's package by hand, through the same ledger: grants above it are revoked, and a
   * staff grant is added if the rest do not reach it.
   */
  async setPackageByStaff(
    email: Email,
    packageId: number,
    staffEmail: Email,
    reason: string,
  ): Promise<number> {
    const source: ChangeSource = { type: 'staff', staffEmail };
    await this.commitWithRetries(async () => {
      const state = await this.users.getPackageState(email);
      let known = grantsOfUser(state);
      // A pre-ledger package above the new one goes too; it has no grant item to mark.
      if ((known[LEGACY_GRANT] ?? 0) > packageId) known = omit(known, LEGACY_GRANT);
      const stored = await this.ledger.grantsOf(Object.keys(known).filter((key) => key !== LEGACY_GRANT));
      const changed: Grant[] = stored
        .filter((grant) => (grant.packageId ?? 0) > packageId && !grant.revokedByStaff)
        .map((grant) => mergeFacts(grant, { revokedByStaff: true }));
      if (derivePackage(changed.reduce(withGrant, known)) < packageId) {
        changed.push(mergeFacts(newGrant(`staff:${randomUUID()}`), { email, packageId, paid: true }));
      }
      const { user, audit } = await this.userChange(email, changed, source, reason, state, known);
      if (!user && changed.length === 0) return null; // already exactly at that package
      const at = new Date().toISOString();
      const current = state?.packageId ?? 0;
      return {
        grants: changed.map((grant) => ({ grant, expectedVersion: grant.version })),
        user,
        // Staff actions are on the record even when the package stays (revoking a grant under dispute).
        audit: audit ?? { email, from: current, to: current, source, reason, at },
      };
    });
    return packageId;
  }

  /** Facts that name only a Stripe customer are for the user that customer was recorded for. */
  private async withCustomersUser(meaning: Interpretation): Promise<Interpretation> {
    if (meaning.kind !== 'grant-facts' || meaning.facts.email || !meaning.customer) return meaning;
    const email = await this.customers.userOf(meaning.customer);
    if (!email) {
      return {
        kind: 'ignored',
        reason: `Stripe customer ${meaning.customer} is no packgate user's`,
        loud: true,
      };
    }
    return { ...meaning, facts: { ...meaning.facts, email } };
  }

  history(email: Email, limit = 100): Promise<AuditEntry[]> {
    return this.ledger.history(email, limit);
  }

  /** The user write (and audit entry) that `grants` entail, or nothing if they change nothing. */
  private async userChange(
    email: Email,
    grants: Grant[],
    source: ChangeSource,
    reason?: string,
    known?: UserPackageState | null,
    base?: Record<string, number>,
  ): Promise<Pick<LedgerCommit, 'user' | 'audit'>> {
    const state = known !== undefined ? known : await this.users.getPackageState(email);
    const after = grants.reduce(withGrant, base ?? grantsOfUser(state));
    const from = state?.packageId ?? 0;
    const to = derivePackage(after);
    if (state && from === to && sameEntries(state.grants, after)) return {};
    if (!state && to === 0) return {}; // nothing paid yet: no user to create
    const user: PackageChange = {
      email,
      packageId: to,
      grants: after,
      expectedVersion: state ? state.version : null,
    };
    const audit: AuditEntry | undefined =
      from === to ? undefined : { email, from, to, source, reason, at: new Date().toISOString() };
    return { user, audit };
  }

  private async commitWithRetries(
    decide: () => Promise<LedgerCommit | null>,
  ): Promise<'applied' | 'duplicate'> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const commit = await decide();
      if (!commit) return 'applied';
      const outcome = await this.commitOrForget(commit);
      if (outcome === 'committed') {
        if (commit.user) this.announce(commit.user);
        return 'applied';
      }
      if (outcome === 'duplicate') {
        // Perhaps an earlier attempt of ours committed and its answer was lost: what this instance
        // cached for the user may be stale.
        this.forgetCachedPackage(commit);
        return 'duplicate';
      }
      // Full jitter, so writers racing for one user or purchase do not collide again in lockstep.
      await sleep(Math.random() * BACKOFF_BASE_MS * 2 ** attempt);
    }
    throw new DependencyUnavailableError('The payments ledger is busy with concurrent changes; try again.');
  }

  /** A failed commit may still have committed (a lost answer): the cached package is then unknown. */
  private async commitOrForget(commit: LedgerCommit) {
    try {
      return await this.ledger.commit(commit);
    } catch (error) {
      this.forgetCachedPackage(commit);
      throw error;
    }
  }

  private forgetCachedPackage(commit: LedgerCommit): void {
    const email = commit.user?.email ?? commit.grants.find(({ grant }) => grant.email)?.grant.email;
    if (email) this.changes.publishUnknown(email);
  }

  private announce(change: PackageChange): void {
    this.changes.publish(change.email, change.packageId);
  }
}

/** A user's grants, with a pre-ledger package_id counted as a grant of its own. */
function grantsOfUser(state: UserPackageState | null): Record<string, number> {
  if (!state) return {};
  if (state.version === 0 && Object.keys(state.grants).length === 0 && state.packageId > 0) {
    return { [LEGACY_GRANT]: state.packageId };
  }
  return state.grants;
}

function sameEntries(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function omit(record: Record<string, number>, key: string): Record<string, number> {
  const { [key]: _omitted, ...rest } = record;
  return rest;
}
