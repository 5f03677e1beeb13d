import { setTimeout as sleep } from 'node:timers/promises';
import { DependencyUnavailableError } from '../../common/domain-error.js';
import { firstLapse } from '../../users/package-access.js';
import type { UserPackageChanges } from '../../users/user-package-changes.js';
import { subscriptionLapse } from '../../users/user-subscription.js';
import type { PackageChange } from '../../users/user.js';
import type { Step } from './exact-package.js';
import type { LedgerCommit, LedgerRepository } from './ledger.js';

// Concurrent events for one user or one purchase make a commit fail its version check; each retry reads
// again. More than a handful in a row means something is badly wrong: answer 503, Stripe retries.
const MAX_ATTEMPTS = 10;
const BACKOFF_BASE_MS = 5;
// A change made in steps advances with every commit; this many means something keeps undoing it.
const MAX_STEPS = 50;

/**
 * Commits what `decide` decides, deciding again (on fresh reads) after every conflict and after every
 * step that asks for more, and tells this instance's package caches what each commit changed.
 */
export async function commitSteps(
  ledger: LedgerRepository,
  changes: UserPackageChanges,
  decide: () => Promise<Step>,
): Promise<'applied' | 'duplicate'> {
  let attempt = 1;
  for (let steps = 1; steps <= MAX_STEPS;) {
    const { commit, more } = await decide();
    if (!commit) return 'applied';
    const outcome = await commitOrForget(ledger, changes, commit);
    if (outcome === 'committed') {
      if (commit.user) announce(changes, commit.user);
      if (!more) return 'applied';
      steps++;
      attempt = 1;
      continue;
    }
    if (outcome === 'duplicate') {
      // Perhaps an earlier attempt of ours committed and its answer was lost: what this instance
      // cached for the user may be stale.
      forgetCachedPackage(changes, commit);
      return 'duplicate';
    }
    if (attempt === MAX_ATTEMPTS) break;
    // Full jitter, so writers racing for one user or purchase do not collide again in lockstep.
    await sleep(Math.random() * BACKOFF_BASE_MS * 2 ** attempt++);
  }
  throw new DependencyUnavailableError('The payments ledger is busy with concurrent changes; try again.');
}

/** A failed commit may still have committed (a lost answer): the cached package is then unknown. */
async function commitOrForget(ledger: LedgerRepository, changes: UserPackageChanges, commit: LedgerCommit) {
  try {
    return await ledger.commit(commit);
  } catch (error) {
    forgetCachedPackage(changes, commit);
    throw error;
  }
}

function forgetCachedPackage(changes: UserPackageChanges, commit: LedgerCommit): void {
  const email = commit.user?.email ?? commit.grants.find(({ grant }) => grant.email)?.grant.email;
  if (email) changes.publishUnknown(email);
}

function announce(changes: UserPackageChanges, change: PackageChange): void {
  const until = firstLapse(change.grants, change.grantUntil);
  const lapse = subscriptionLapse(change.subscription ?? null, change, Date.now());
  changes.publish(change.email, change.packageId, until, lapse);
}
