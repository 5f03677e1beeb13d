import type { Email } from '../../common/email.js';
import { subscriptionMayResume, type SubscriptionState } from '../subscriptions/subscription-access.js';

/** A dispute's state; a closed dispute (won or lost) never reopens, whatever order events come in. */
export type DisputeState = 'open' | 'won' | 'lost';

const DISPUTE_PRECEDENCE: Record<DisputeState, number> = { open: 0, won: 1, lost: 2 };

/**
 * What is known about one purchase (a Stripe payment intent, a checkout session without one, or a
 * staff grant). Every field only ever moves one way, so merging facts is order-independent and
 * idempotent: the same events in any order, any number of times, give the same grant.
 */
export interface GrantFacts {
  email?: Email;
  packageId?: number;
  paid?: boolean;
  failed?: boolean;
  refunded?: boolean;
  disputes?: Record<string, DisputeState>;
  revokedByStaff?: boolean;
}

/** One payment of a subscription: the period it paid for, and facts that only move one way. */
export interface PaymentFacts {
  /** End of the period it paid for (Unix seconds); 0 while not known yet. */
  periodEnd: number;
  refunded?: boolean;
  disputes?: Record<string, DisputeState>;
}

export interface Grant extends GrantFacts {
  /** `pi_…`, `cs_…`, `sub_…`, `staff:<id>` or `external:<id>`. */
  key: string;
  /**
   * A subscription's state as last read from Stripe: unlike the one-way facts it is replaced at every
   * read, and gives access only until `accessUntil`.
   */
  subscription?: SubscriptionState;
  /** A subscription's invoice payments (payment intent → what befell it), recorded as `invoice.paid` names them. */
  subscriptionPayments?: Record<string, PaymentFacts>;
  disputes: Record<string, DisputeState>;
  /** Increases with every write; 0 for a grant not stored yet. */
  version: number;
}

export const newGrant = (key: string): Grant => ({ key, disputes: {}, version: 0 });

/** The grant with `facts` added. Identity (email, package) is set by the first fact that names it. */
export function mergeFacts(grant: Grant, facts: GrantFacts): Grant {
  const disputes = { ...grant.disputes };
  for (const [id, state] of Object.entries(facts.disputes ?? {})) {
    const known = disputes[id];
    if (!known || DISPUTE_PRECEDENCE[state] > DISPUTE_PRECEDENCE[known]) disputes[id] = state;
  }
  return {
    ...grant,
    email: grant.email ?? facts.email,
    packageId: grant.packageId ?? facts.packageId,
    paid: grant.paid || facts.paid || undefined,
    failed: grant.failed || facts.failed || undefined,
    refunded: grant.refunded || facts.refunded || undefined,
    revokedByStaff: grant.revokedByStaff || facts.revokedByStaff || undefined,
    disputes,
  };
}

/**
 * Paid for, not failed, refunded, revoked by staff, nor under (or lost in) a dispute; a subscription
 * while its access lasts (and not revoked by staff).
 */
export function isActive(grant: GrantFacts & { subscription?: SubscriptionState }): boolean {
  if (grant.subscription) {
    const lasts = grant.subscription.accessUntil > Date.now();
    return Boolean(lasts && !grant.revokedByStaff && grant.email && grant.packageId);
  }
  const disputed = Object.values(grant.disputes ?? {}).some((state) => state !== 'won');
  return Boolean(
    grant.paid &&
    !grant.failed &&
    !grant.refunded &&
    !grant.revokedByStaff &&
    !disputed &&
    grant.email &&
    grant.packageId,
  );
}

/** The user's package: the highest active grant, else 0. */
export function derivePackage(grants: Record<string, number>): number {
  return Math.max(0, ...Object.values(grants));
}

/**
 * Whether an inactive grant can still become active: only a dispute still open can bring it back.
 * Failed, refunded, revoked and lost are final.
 */
export function mayBecomeActive(grant: GrantFacts & { subscription?: SubscriptionState }): boolean {
  if (grant.subscription) return subscriptionMayResume(grant.subscription) && !grant.revokedByStaff;
  const disputes = Object.values(grant.disputes ?? {});
  return isActive({ ...grant, disputes: {} }) && disputes.includes('open') && !disputes.includes('lost');
}

/**
 * The user's grants once `grant` is as given: active grants with their package, and at 0 only those
 * inactive ones that may still come back (an open dispute), so staff can find and revoke them. Grants
 * that can never be active again leave the map, so it does not grow with every refund.
 */
export function withGrant(grants: Record<string, number>, grant: Grant): Record<string, number> {
  const next = { ...grants };
  if (isActive(grant)) next[grant.key] = grant.packageId!;
  else if (mayBecomeActive(grant)) next[grant.key] = 0;
  else delete next[grant.key];
  return next;
}

/** The subscription grant with the state just read from Stripe; its package follows the price. */
export function withSubscription(
  grant: Grant,
  read: { email: Email; packageId: number; subscription: SubscriptionState },
): Grant {
  return {
    ...grant,
    email: grant.email ?? read.email,
    packageId: read.packageId,
    subscription: read.subscription,
  };
}

/**
 * The user's time-bounded grants (key → Unix ms their access ends) once `grant` is as given: an active
 * subscription's end of access, so readers can tell when the package lapses without any event.
 */
export function withGrantUntil(until: Record<string, number>, grant: Grant): Record<string, number> {
  const next = { ...until };
  if (grant.subscription && isActive(grant)) next[grant.key] = grant.subscription.accessUntil;
  else delete next[grant.key];
  return next;
}

/** The subscription grant with `facts` about one of its payments added (one way, any order). */
export function withPaymentFacts(grant: Grant, paymentIntent: string, facts: PaymentFacts): Grant {
  const known = grant.subscriptionPayments?.[paymentIntent] ?? { periodEnd: 0 };
  const merged = mergeFacts({ ...newGrant(paymentIntent), disputes: known.disputes ?? {} }, facts);
  const payment: PaymentFacts = {
    periodEnd: Math.max(known.periodEnd, facts.periodEnd),
    ...(known.refunded || facts.refunded ? { refunded: true } : {}),
    ...(Object.keys(merged.disputes).length > 0 ? { disputes: merged.disputes } : {}),
  };
  return { ...grant, subscriptionPayments: { ...grant.subscriptionPayments, [paymentIntent]: payment } };
}

/**
 * Whether the payment that paid the period ending at `periodEnd` was taken back: fully refunded, or
 * under (or lost in) a dispute. Access then ends for that period only; the next paid period restores it.
 */
export function periodTakenBack(
  payments: Record<string, PaymentFacts> | undefined,
  periodEnd: number,
): boolean {
  return Object.values(payments ?? {}).some(
    (payment) =>
      payment.periodEnd >= periodEnd &&
      (payment.refunded || Object.values(payment.disputes ?? {}).some((state) => state !== 'won')),
  );
}
