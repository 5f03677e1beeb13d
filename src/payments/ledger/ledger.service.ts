import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import type { Email } from '../../common/email.js';
import { PackageCatalog } from '../../entitlements/package-catalog.js';
import { UserPackageChanges } from '../../users/user-package-changes.js';
import { packageIdOf, type UserPackageState } from '../../users/user.js';
import { withoutLapsed } from '../../users/package-access.js';
import { UsersRepository } from '../../users/users.repository.js';
import { CustomerDirectory } from '../customers/customer-directory.js';
import { exactPackageStep, type Step } from './exact-package.js';
import { derivePackage, mergeFacts, newGrant, withPaymentFacts, type PaymentFacts } from './grant.js';
import { SubscriptionReader } from '../subscriptions/subscription-reader.js';
import { subscriptionAfter } from '../subscriptions/subscription-summary.js';
import { LedgerRepository, type AuditEntry, type ChangeSource, type LedgerCommit } from './ledger.js';
import { userChange } from './user-change.js';
import { EventNotApplicableError } from '../payment.errors.js';
import { interpretStripeEvent, type Interpretation } from '../events/stripe-event.interpreter.js';
import { commitSteps } from './ledger-commits.js';

export type EventOutcome = 'applied' | 'duplicate' | 'ignored';

/**
 * The grants ledger: applies Stripe events and staff decisions to grants, and derives each user's
 * package from them — the highest active grant, else 0 — in one transaction with the event's marker,
 * the grant, the user and the audit entry. A package_id written from outside packgate is honoured
 * first, as a change of its own.
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
    private readonly subscriptions: SubscriptionReader,
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
    const source: ChangeSource = { type: 'stripe', eventId: event.id, eventType: event.type };
    if (meaning.kind === 'subscription') {
      const { subscriptionId, paidInvoice } = meaning;
      return this.commitWithRetries(() =>
        this.subscriptionStep(event, subscriptionId, source, { paidInvoice }),
      );
    }
    // A refund or dispute of a subscription's invoice payment is about that subscription's period.
    const subscription = meaning.facts.email ? null : await this.ledger.linkOf(meaning.grantKey);
    if (subscription) {
      const payment = { paymentIntent: meaning.grantKey, facts: { periodEnd: 0, ...meaning.facts } };
      return this.commitWithRetries(() => this.subscriptionStep(event, subscription, source, { payment }));
    }
    if (meaning.warning) this.logger.warn(`event ${event.id} (${event.type}): ${meaning.warning}`);
    return this.commitWithRetries(async () => {
      const before = (await this.ledger.getGrant(meaning.grantKey)) ?? newGrant(meaning.grantKey);
      const after = mergeFacts(before, meaning.facts);
      const state = after.email ? await this.users.getPackageState(after.email) : null;
      const outside = after.email ? await this.outsideWriteStep(after.email, state) : null;
      if (outside) return outside;
      const userPart = after.email ? userChange(after.email, current(state), [after], source) : {};
      const grants = [{ grant: after, expectedVersion: before.version }];
      return {
        commit: { event: { id: event.id, type: event.type, created: event.created }, grants, ...userPart },
      };
    });
  }

  /**
   * Staff set a user's package by hand, through the same ledger: grants above it are revoked, and a
   * staff grant is added if the rest do not reach it. Returns the package the ledger derived.
   */
  async setPackageByStaff(
    email: Email,
    packageId: number,
    staffEmail: Email,
    reason: string,
  ): Promise<number> {
    let derived = 0;
    await this.commitWithRetries(async () => {
      const state = await this.users.getPackageState(email);
      const outside = await this.outsideWriteStep(email, state);
      if (outside) return outside;
      const source = { type: 'staff', staffEmail } as const;
      const step = await exactPackageStep(this.ledger, email, current(state), packageId, source, reason);
      derived = step.commit?.user?.packageId ?? state?.packageId ?? 0;
      return step;
    });
    return derived;
  }

  /**
   * A subscription's grant brought to the subscription's current state. Order-proof as Stripe
   * recommends: the grant's version is read first, then Stripe is asked what the subscription is now,
   * and the write is conditional on that version; a concurrent writer makes the whole step run again,
   * so an older state can never land after a newer one.
   */
  private async subscriptionStep(
    event: Stripe.Event,
    id: string,
    source: ChangeSource,
    news: SubscriptionNews,
  ): Promise<Step> {
    const before = (await this.ledger.getGrant(id)) ?? newGrant(id);
    let grant = news.payment
      ? withPaymentFacts(before, news.payment.paymentIntent, news.payment.facts)
      : before;
    const links: LedgerCommit['links'] = [];
    const paid = news.paidInvoice ? await this.subscriptions.paidPeriod(news.paidInvoice) : null;
    for (const paymentIntent of paid?.paymentIntents ?? []) {
      // A refund or dispute that came before this invoice.paid was kept under the payment intent.
      const earlier = await this.ledger.getGrant(paymentIntent);
      const { refunded, disputes } = earlier ?? {};
      grant = withPaymentFacts(grant, paymentIntent, { periodEnd: paid!.periodEnd, refunded, disputes });
      links.push({ paymentIntent, grantKey: id });
    }
    const after = await this.subscriptions.refreshed(grant);
    const state = await this.users.getPackageState(after.email);
    const outside = await this.outsideWriteStep(after.email, state);
    if (outside) return outside;
    const asOfNow = current(state);
    const summary = await subscriptionAfter(asOfNow, after, (key) => this.ledger.getGrant(key));
    const userPart = userChange(after.email, asOfNow, [after], source, summary);
    const grants = [{ grant: after, expectedVersion: before.version }];
    const commitEvent = { id: event.id, type: event.type, created: event.created };
    return { commit: { event: commitEvent, grants, links, ...userPart } };
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

  /**
   * A package_id written from outside packgate (which never bumps the version) is honoured before
   * any change: above what the grants imply it becomes an external grant; below, the grants above it
   * are revoked. Null when the stored package is what the grants imply (or is no package id at all).
   */
  private async outsideWriteStep(email: Email, state: UserPackageState | null): Promise<Step | null> {
    const handSet = packageIdOf(state?.storedPackageId);
    if (!state || handSet === null || handSet === derivePackage(state.grants)) return null;
    const reason = `package_id set to ${JSON.stringify(state.storedPackageId)} outside packgate`;
    const step = await exactPackageStep(this.ledger, email, state, handSet, { type: 'external' }, reason);
    return step.commit ? { commit: step.commit, more: true } : null;
  }

  private commitWithRetries(decide: () => Promise<Step>): Promise<'applied' | 'duplicate'> {
    return commitSteps(this.ledger, this.changes, decide);
  }
}

/** What a subscription step learns besides the subscription's state: a paid invoice, or a payment's fate. */
interface SubscriptionNews {
  paidInvoice?: string;
  payment?: { paymentIntent: string; facts: PaymentFacts };
}

/**
 * The user's grants as of now, for deciding: subscriptions whose access has ended count as lapsed. (The
 * check for outside writes reads the state as written, which is what package_id was derived from.)
 */
function current(state: UserPackageState | null): UserPackageState | null {
  return state && withoutLapsed(state, Date.now());
}
