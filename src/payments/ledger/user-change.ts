import type { Email } from '../../common/email.js';
import { sameSummary, type SubscriptionSummary } from '../../users/user-subscription.js';
import type { UserPackageState } from '../../users/user.js';
import { packageChange, sameEntries } from './exact-package.js';
import { derivePackage, withGrant, withGrantUntil, type Grant } from './grant.js';
import type { AuditEntry, ChangeSource, LedgerCommit } from './ledger.js';

/**
 * The user write (and audit entry) that `grants` entail, or nothing if they change nothing; with
 * `summary`, the user's current subscription too (else it stays as recorded).
 */
export function userChange(
  email: Email,
  state: UserPackageState | null,
  grants: Grant[],
  source: ChangeSource,
  subscription?: SubscriptionSummary | null,
): Pick<LedgerCommit, 'user' | 'audit'> {
  const after = grants.reduce(withGrant, state?.grants ?? {});
  const until = grants.reduce(withGrantUntil, state?.grantUntil ?? {});
  const recorded = state?.subscription ?? null;
  const summary = subscription === undefined ? recorded : subscription;
  const from = state?.packageId ?? 0;
  const to = derivePackage(after);
  const unchanged =
    sameEntries(state?.grants ?? {}, after) &&
    sameEntries(state?.grantUntil ?? {}, until) &&
    sameSummary(recorded, summary);
  if (state && from === to && unchanged) return {};
  if (!state && to === 0) return {}; // nothing paid yet: no user to create
  const audit: AuditEntry | undefined =
    from === to ? undefined : { email, from, to, source, at: new Date().toISOString() };
  return { user: packageChange(email, state, to, after, until, summary), audit };
}
