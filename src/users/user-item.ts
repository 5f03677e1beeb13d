import type { Email } from '../common/email.js';
import { packageAt, type PackageAccess } from './package-access.js';
import { packageIdOf, type User, type UserPackageState } from './user.js';
import { subscriptionLapse, type SubscriptionSummary } from './user-subscription.js';

/** The stored item; `package_id` may be a string in tables written by the tutorial's Python code. */
export interface UserItem {
  email: string;
  package_id?: number | string;
  created_at?: string;
  updated_at?: string;
  /** Written by the payments ledger: its grants (key → package id) and a version for its writes. */
  grants?: Record<string, number>;
  /** Written by the ledger: when each time-bounded grant's access ends (Unix ms). */
  grant_until?: Record<string, number>;
  /** Written by the ledger: the user's current subscription (see SubscriptionSummary). */
  subscription?: SubscriptionItem;
  version?: number;
}

/** A SubscriptionSummary as stored, in the item's snake_case. */
interface SubscriptionItem {
  key: string;
  package_id: number;
  status: string;
  period_end: number;
  cancel_at_period_end: boolean;
}

/** What the ledger decides from: the item as written. */
export function toPackageState(item: UserItem): UserPackageState {
  return {
    // As written, not as of now: the ledger compares it with what its grants implied when it wrote.
    packageId: packageIdOf(item.package_id) ?? 0,
    storedPackageId: item.package_id ?? null,
    grants: item.grants ?? {},
    grantUntil: item.grant_until ?? {},
    subscription: toSummary(item.subscription),
    version: item.version ?? 0,
  };
}

/** The package at `now`, until when it holds, and whether a subscription lapsed. */
export function toAccess(item: UserItem, now = Date.now()): PackageAccess {
  const stored = {
    packageId: packageIdOf(item.package_id) ?? 0,
    grants: item.grants ?? {},
    grantUntil: item.grant_until ?? {},
  };
  return { ...packageAt(stored, now), lapse: subscriptionLapse(toSummary(item.subscription), stored, now) };
}

function toSummary(item: SubscriptionItem | undefined): SubscriptionSummary | null {
  if (!item) return null;
  return {
    key: item.key,
    packageId: Number(item.package_id),
    status: item.status,
    periodEnd: Number(item.period_end),
    cancelAtPeriodEnd: item.cancel_at_period_end === true,
  };
}

function toItem(summary: SubscriptionSummary): SubscriptionItem {
  return {
    key: summary.key,
    package_id: summary.packageId,
    status: summary.status,
    period_end: summary.periodEnd,
    cancel_at_period_end: summary.cancelAtPeriodEnd,
  };
}

/** The user as the users API answers it: the package as of now. */
export function toUser(item: UserItem): User {
  return {
    email: item.email as Email,
    packageId: toAccess(item).packageId,
    createdAt: item.created_at ?? null,
    updatedAt: item.updated_at ?? item.created_at ?? null,
    subscription: toSummary(item.subscription),
  };
}

/** The part of the ledger's update that writes the subscription: kept when undefined, removed when null. */
export function subscriptionUpdate(summary: SubscriptionSummary | null | undefined): {
  expression: string;
  values: Record<string, SubscriptionItem>;
} {
  if (summary === undefined) return { expression: '', values: {} };
  if (summary === null) return { expression: ' REMOVE subscription', values: {} };
  return { expression: ', subscription = :subscription', values: { ':subscription': toItem(summary) } };
}
