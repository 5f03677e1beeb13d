import type Stripe from 'stripe';
import { normalizeEmail, type Email } from '../../common/email.js';
import type { Package, PackageCatalog } from '../../entitlements/package-catalog.js';
import type { GrantFacts } from '../ledger/grant.js';
import { isStripeId } from './stripe-event.envelope.js';

/** What a Stripe event means for the ledger: facts about one grant, or nothing. */
export type Interpretation =
  | {
      kind: 'grant-facts';
      grantKey: string;
      facts: GrantFacts;
      /** The Stripe customer whose user the grant is, when the session names no packgate email. */
      customer?: string;
      /** Applied, but something about the event deserves an operator's look (logged at warn). */
      warning?: string;
    }
  /** A subscription changed: record its current state, read from Stripe (the event may be stale). */
  | { kind: 'subscription'; subscriptionId: string; paidInvoice?: string }
  /** Nothing to record; `loud` ones mean money may have moved without a grant, and are logged as errors. */
  | { kind: 'ignored'; reason: string; loud?: boolean };

const SUBSCRIPTION_EVENT_TYPES = [
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
] as const;

/** Every event type packgate acts on: the webhook endpoint's list, and what reconciliation asks Stripe for. */
export const HANDLED_EVENT_TYPES = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'charge.refunded',
  'charge.dispute.created',
  'charge.dispute.closed',
  ...SUBSCRIPTION_EVENT_TYPES,
  'invoice.paid',
  'invoice.payment_failed',
] as const satisfies Stripe.Event.Type[];

const ignored = (reason: string, loud = false): Interpretation => ({ kind: 'ignored', reason, loud });

/**
 * Reads the events packgate acts on. Whose package it is comes from `client_reference_id` (or our
 * metadata), set by our checkout, never from the email the buyer typed; which package comes from our
 * metadata `package_id`, which must be in the catalog and not contradicted by the session's price.
 */
export function interpretStripeEvent(event: Stripe.Event, catalog: PackageCatalog): Interpretation {
  switch (event.type) {
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
    case 'customer.subscription.paused':
    case 'customer.subscription.resumed':
      return subscription(event.data.object.id, `${event.type} names no well-formed subscription`);
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const invoice = event.data.object;
      const ref = invoice.parent?.subscription_details?.subscription;
      if (!ref) return ignored(`invoice ${invoice.id} is not a subscription's`);
      const meaning = subscription(
        typeof ref === 'string' ? ref : ref.id,
        `invoice ${invoice.id} names a malformed subscription`,
      );
      if (meaning.kind !== 'subscription' || event.type !== 'invoice.paid') return meaning;
      if (!isStripeId(invoice.id, 'in_'))
        return ignored(`invoice ${String(invoice.id)} has a malformed id`, true);
      return { ...meaning, paidInvoice: invoice.id };
    }
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const session = event.data.object;
      if (session.mode === 'subscription') {
        const ref = session.subscription;
        if (!ref) return ignored(`subscription session ${session.id} has no subscription yet`);
        return subscription(
          typeof ref === 'string' ? ref : ref.id,
          `session ${session.id} names a malformed subscription`,
        );
      }
      const paid = session.payment_status === 'paid' || session.payment_status === 'no_payment_required';
      return sessionFacts(session, catalog, paid ? { paid: true } : {});
    }
    case 'checkout.session.async_payment_failed':
      return sessionFacts(event.data.object, catalog, { failed: true });
    case 'charge.refunded': {
      const charge = event.data.object;
      const key = idOf(charge.payment_intent, 'pi_');
      if (key === INVALID) return ignored(`charge ${charge.id} names a malformed payment intent`, true);
      if (!key) return ignored('a charge without a payment intent');
      const fullyRefunded = charge.refunded || charge.amount_refunded >= charge.amount;
      return fullyRefunded
        ? { kind: 'grant-facts', grantKey: key, facts: { refunded: true } }
        : ignored('a partial refund keeps the grant');
    }
    case 'charge.dispute.created':
    case 'charge.dispute.closed': {
      const dispute = event.data.object;
      const key = idOf(dispute.payment_intent, 'pi_');
      if (!key || key === INVALID || !(isStripeId(dispute.id, 'dp_') || isStripeId(dispute.id, 'du_')))
        return ignored('a dispute without a well-formed payment intent or id', true);
      const state = event.type === 'charge.dispute.created' ? 'open' : closedState(dispute.status);
      return { kind: 'grant-facts', grantKey: key, facts: { disputes: { [dispute.id]: state } } };
    }
    default:
      return ignored(`packgate does not act on ${event.type}`);
  }
}

function subscription(id: unknown, malformed: string): Interpretation {
  return isStripeId(id, 'sub_') ? { kind: 'subscription', subscriptionId: id } : ignored(malformed, true);
}

function sessionFacts(
  session: Stripe.Checkout.Session,
  catalog: PackageCatalog,
  facts: GrantFacts,
): Interpretation {
  if (session.mode !== 'payment') return ignored(`a ${session.mode}-mode session`);
  const email = buyer(session);
  const customerRef = idOf(session.customer, 'cus_');
  const customer = email || customerRef === INVALID ? undefined : customerRef;
  if (!email && !customer)
    return ignored(`session ${session.id} names no packgate user (not made by our checkout?)`, true);
  const chosen = chosenPackage(session, catalog);
  if ('refusal' in chosen) return ignored(chosen.refusal, true);
  const paymentIntent = idOf(session.payment_intent, 'pi_');
  if (paymentIntent === INVALID || !isStripeId(session.id, 'cs_'))
    return ignored(`session ${String(session.id)} has a malformed id or payment intent`, true);
  const grantKey = paymentIntent ?? session.id;
  const warning = chosen.warning ? { warning: chosen.warning } : {};
  const who = email ? { email } : {};
  return {
    kind: 'grant-facts',
    grantKey,
    facts: { ...who, packageId: chosen.pkg.id, ...facts },
    ...(customer ? { customer } : {}),
    ...warning,
  };
}

/**
 * The package a session bought: the one our checkout wrote into its metadata. Our server wrote both
 * `package_id` and `price_id`, so a price the catalog no longer lists (rotated since the session was
 * made, which stays open for a day and may settle days later) still grants that package: the money moved.
 * A price listed for another package contradicts the metadata, and grants nothing.
 */
function chosenPackage(
  session: Stripe.Checkout.Session,
  catalog: PackageCatalog,
): { pkg: Package; warning?: string } | { refusal: string } {
  const { package_id: packageText, price_id: priceId } = session.metadata ?? {};
  const pkg = /^\d+$/.test(packageText ?? '') ? catalog.find(Number(packageText)) : undefined;
  if (!pkg || pkg.id === 0) {
    return {
      refusal: `session ${session.id} is for package ${packageText ?? '?'}, which the catalog (PACKAGES) does not have`,
    };
  }
  if (priceId && pkg.stripePriceIds.includes(priceId)) return { pkg };
  const owner = priceId ? catalog.findByPrice(priceId) : undefined;
  if (owner) {
    return {
      refusal:
        `session ${session.id} says package ${pkg.id} (${pkg.name}) but was paid at price ${priceId}, ` +
        `which PACKAGES lists for package ${owner.id} (${owner.name})`,
    };
  }
  const why = priceId ? `price ${priceId}, which PACKAGES no longer lists` : 'no price in its metadata';
  return {
    pkg,
    warning: `session ${session.id} has ${why}; granted package ${pkg.id} (${pkg.name}) from its metadata`,
  };
}

function buyer(session: Stripe.Checkout.Session): Email | null {
  const claimed = session.client_reference_id ?? session.metadata?.email;
  try {
    return claimed ? normalizeEmail(claimed) : null;
  } catch {
    return null;
  }
}

// An inquiry closed without becoming a dispute ('warning_closed') never took the money: as won.
function closedState(status: Stripe.Dispute.Status): 'won' | 'lost' | 'open' {
  if (status === 'lost') return 'lost';
  return status === 'won' || status === 'warning_closed' ? 'won' : 'open';
}

const INVALID = Symbol('invalid id');

/**
 * The id of a reference (bare or expanded): undefined when absent, INVALID when present but not a
 * Stripe id of that kind. The ledger keys grants on these, so nothing else may reach a key.
 */
function idOf(
  ref: string | { id: string } | null | undefined,
  prefix: string,
): string | undefined | typeof INVALID {
  if (ref === null || ref === undefined) return undefined;
  const id = typeof ref === 'string' ? ref : ref.id;
  return isStripeId(id, prefix) ? id : INVALID;
}
