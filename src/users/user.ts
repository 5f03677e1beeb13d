import { DomainError } from '../common/domain-error.js';
import type { Email } from '../common/email.js';
import type { SubscriptionSummary } from './user-subscription.js';

/** A packgate user: the tutorial's item (`email`, `package_id`) plus timestamps. */
export interface User {
  email: Email;
  /** 0 = no package; higher ids include every lower one. */
  packageId: number;
  /** ISO 8601; null for items written before packgate (the tutorial's code kept no timestamps). */
  createdAt: string | null;
  updatedAt: string | null;
  /** The user's current subscription as the ledger last recorded it; null when they never had one. */
  subscription: SubscriptionSummary | null;
}

/**
 * `package_id` exactly as stored, null when absent: the tutorial's Python code writes a string ('2'),
 * and writers outside packgate (boto3, the console, scripts) write whatever they write.
 */
export type StoredPackageId = number | string | null;

/** What the payments ledger needs to change a package safely: the derivation inputs and a version. */
export interface UserPackageState {
  /** The package `package_id` grants: 0 when absent or not a package id. */
  packageId: number;
  /** As stored, so the ledger's write can be conditional on it being unchanged. */
  storedPackageId: StoredPackageId;
  /** Grants: key → package id while active, 0 while one may come back (open dispute). */
  grants: Record<string, number>;
  /** Time-bounded grants (subscriptions): key → when their access ends (Unix ms). */
  grantUntil: Record<string, number>;
  /** The user's current subscription as last written; null when none. */
  subscription: SubscriptionSummary | null;
  /** Increases with every package write; 0 for items never written by the ledger. */
  version: number;
}

/** A change of package_id, as the ledger makes it (see UsersRepository.packageWrite). */
export interface PackageChange {
  email: Email;
  packageId: number;
  grants: Record<string, number>;
  /** Time-bounded grants among `grants`: key → when their access ends (Unix ms). */
  grantUntil: Record<string, number>;
  /** The user's current subscription after the change: null removes it, absent keeps it as stored. */
  subscription?: SubscriptionSummary | null;
  /** The version read before deciding; null when the user did not exist (the write then creates it). */
  expectedVersion: number | null;
  /** `package_id` as read: a write from outside packgate since then makes this write fail. */
  expectedStoredPackageId: StoredPackageId;
}

export class UserNotFoundError extends DomainError {
  readonly code = 'USERS.NOT_FOUND';

  constructor(email: string) {
    super(`No user is registered for ${email}.`, { email });
  }
}

export class InvalidPackageIdError extends DomainError {
  readonly code = 'USERS.INVALID_PACKAGE';

  constructor(packageId: unknown) {
    super(`A package id is a whole number from 0 up (got ${String(packageId)}).`, { packageId });
  }
}

export function assertPackageId(packageId: number): void {
  if (!Number.isSafeInteger(packageId) || packageId < 0) throw new InvalidPackageIdError(packageId);
}

/** The package id a stored `package_id` stands for; null when absent or not a whole number from 0 up. */
export function packageIdOf(stored: StoredPackageId | undefined): number | null {
  if (stored === null || stored === undefined || stored === '') return null;
  const packageId = Number(stored);
  return Number.isSafeInteger(packageId) && packageId >= 0 ? packageId : null;
}
