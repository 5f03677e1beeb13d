import type { Email } from '../../common/email.js';
import type { PackageChange } from '../../users/user.js';
import type { Grant } from './grant.js';

/**
 * Who changed a package: a Stripe event, a member of staff, or a write of `package_id` from outside
 * packgate (the tutorial's code, the console, a script), honoured at the ledger's next change.
 */
export type ChangeSource =
  | { type: 'stripe'; eventId: string; eventType: string }
  | { type: 'staff'; staffEmail: Email }
  | { type: 'external' };

/** One change of a user's package_id, as the history shows it. */
export interface AuditEntry {
  email: Email;
  from: number;
  to: number;
  source: ChangeSource;
  reason?: string;
  at: string;
}

/** Everything one ledger decision writes, all or nothing. */
export interface LedgerCommit {
  /** A Stripe event applied exactly once: its marker is part of the same transaction. */
  event?: { id: string; type: string; created: number };
  grants: Array<{ grant: Grant; expectedVersion: number }>;
  user?: PackageChange;
  audit?: AuditEntry;
  /** Payment intents that paid a subscription's invoice → that subscription's grant key. */
  links?: Array<{ paymentIntent: string; grantKey: string }>;
}

/** duplicate: the event was applied before. conflict: something changed since it was read; read again. */
export type CommitOutcome = 'committed' | 'duplicate' | 'conflict';

/** Grants, processed-event markers and the audit trail. An abstract class to serve as DI token. */
export abstract class LedgerRepository {
  /** Strongly consistent; null if no fact about it has been recorded yet. */
  abstract getGrant(key: string): Promise<Grant | null>;

  /** The grants stored under these keys (any number; keys with no grant are left out), strongly consistent. */
  abstract grantsOf(keys: string[]): Promise<Grant[]>;

  abstract commit(commit: LedgerCommit): Promise<CommitOutcome>;

  /** The grant a subscription payment belongs to (recorded at `invoice.paid`); null for others. */
  abstract linkOf(paymentIntent: string): Promise<string | null>;

  /** Whether the event was applied (its marker exists), strongly consistent. */
  abstract isProcessed(eventId: string): Promise<boolean>;

  /** Newest first. */
  abstract history(email: Email, limit: number): Promise<AuditEntry[]>;
}
