import type Stripe from 'stripe';
import { normalizeEmail, type Email } from '../common/email.js';
import type { PackageCatalog } from '../entitlements/package-catalog.js';
import type { GrantFacts } from './grant.js';
import { isStripeId } from './stripe-event.envelope.js';

/** What a Stripe event means for the ledger: facts about one grant, or nothing. */
export type Interpretation =
  | {
      kind: 'grant-facts';
      grantKey: string;
      facts: GrantFacts;
      /** The Stripe customer whose user the grant is, when the session names no packgate email. */
      customer?: string;
    }
  /** Nothing to record; `loud` ones mean money may have moved without a grant, and are logged as errors. */
  | { kind: 'ignored'; reason: string; loud?: boolean };

/** Every event type packgate acts on: the webhook endpoint's list, and what reconciliation asks Stripe for. */
export const HANDLED_EVENT_TYPES = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'charge.refunded',
  'charge.dispute.created',
  'charge.dispute.closed',
] as const satisfies Stripe.Event.Type[];

const ignored = (reason: string, loud = false): Interpretation => ({ kind: 'ignored', reason, loud });

/**
 * Reads the events packgate acts on. Whose package it is comes from `client_reference_id` (or our
 * metadata), set by our checkout, never from the email the buyer typed; which package comes from our
 * metadata, checked against the catalog and its Stripe price.
 */
export function interpretStripeEvent(event: Stripe.Event, catalog: PackageCatalog): Interpretation {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const session = event.data.object;
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
  const packageId = Number(session.metadata?.package_id);
  const pkg = Number.isSafeInteger(packageId) ? catalog.find(packageId) : undefined;
  if (!pkg || pkg.id === 0 || !pkg.stripePriceId || pkg.stripePriceId !== session.metadata?.price_id) {
    return ignored(
      `session ${session.id} is for package ${session.metadata?.package_id ?? '?'} at price ` +
        `${session.metadata?.price_id ?? '?'}, which the catalog (PACKAGES) does not sell`,
      true,
    );
  }
  const paymentIntent = idOf(session.payment_intent, 'pi_');
  if (paymentIntent === INVALID || !isStripeId(session.id, 'cs_'))
    return ignored(`session ${String(session.id)} has a malformed id or payment intent`, true);
  const grantKey = paymentIntent ?? session.id;
  if (!email) return { kind: 'grant-facts', grantKey, facts: { packageId: pkg.id, ...facts }, customer };
  return { kind: 'grant-facts', grantKey, facts: { email, packageId: pkg.id, ...facts } };
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
