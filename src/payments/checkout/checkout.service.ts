import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type Stripe from 'stripe';
import type { Email } from '../../common/email.js';
import type { AppConfig, PaymentsConfig } from '../../config/app-config.js';
import { EntitlementsService } from '../../entitlements/entitlements.service.js';
import { PackageCatalog, type Package } from '../../entitlements/package-catalog.js';
import { checkoutSessionParams, type SessionFor } from './checkout-session-params.js';
import { ExistingSubscriptions } from '../subscriptions/existing-subscriptions.js';
import { OpenCheckouts, type OpenCheckout } from './open-checkouts.js';
import {
  AlreadySubscribedError,
  PackageAlreadyOwnedError,
  PackageNotForSaleError,
  UnknownPackageError,
} from '../payment.errors.js';
import { StripeCustomers } from '../customers/stripe-customers.js';
import { stripeFailure } from '../stripe/stripe-errors.js';
import { StripePriceKinds } from './stripe-price-kinds.js';
import { InjectStripe, requireStripe, type StripeClient } from '../stripe/stripe.tokens.js';

export interface CheckoutSession {
  id: string;
  url: string | null;
}

/** A checkout's answer; `created` is false when the caller's open session for the package is reused. */
export interface CheckoutStart {
  session: CheckoutSession;
  created: boolean;
}

/** A package checkout can sell: it has a price at Stripe. */
type PricedPackage = Package & { stripePriceId: string };

/**
 * Creates Stripe Checkout Sessions that the webhook can later tie to a user and a package: one open
 * session per user and package at a time, for the user's one Stripe Customer; in subscription mode
 * for a recurring price, and then only for a user with no subscription in force.
 */
@Injectable()
export class CheckoutService {
  private readonly logger = new Logger('Checkout');
  private readonly payments: PaymentsConfig;

  constructor(
    @InjectStripe() private readonly stripeClient: StripeClient,
    private readonly catalog: PackageCatalog,
    private readonly entitlements: EntitlementsService,
    private readonly customers: StripeCustomers,
    private readonly openCheckouts: OpenCheckouts,
    private readonly priceKinds: StripePriceKinds,
    private readonly subscriptions: ExistingSubscriptions,
    config: ConfigService<AppConfig, true>,
  ) {
    this.payments = config.get('payments', { infer: true });
  }

  async start(email: Email, packageRef: string | number): Promise<CheckoutStart> {
    const pkg = await this.packageToSell(email, packageRef);
    const stripe = await requireStripe(this.stripeClient, 'Checkout');
    const recurring = (await this.priceKinds.kindOf(stripe, pkg.stripePriceId)) === 'recurring';
    // Before reusing an open session too: a subscriber must not be sent to pay for a second one.
    if (recurring) await this.refuseSecondSubscription(email, pkg);
    const remembered = await this.openCheckouts.find(email, pkg.id);
    if (remembered && (await this.stillOpen(stripe, remembered.sessionId))) {
      return { session: asSession(remembered), created: false };
    }
    const customer = await this.customers.customerFor(stripe, email);
    const created = await this.createSession(stripe, {
      email,
      packageId: pkg.id,
      priceId: pkg.stripePriceId,
      customer,
      mode: recurring ? 'subscription' : 'payment',
    });
    const inForce = await this.openCheckouts.remember(email, pkg.id, created, remembered?.sessionId ?? null);
    if (inForce.sessionId === created.sessionId) return { session: asSession(created), created: true };
    // A concurrent checkout of the same package stored its session first: one way to pay, not two.
    await this.expireQuietly(stripe, created.sessionId);
    return { session: asSession(inForce), created: false };
  }

  private async packageToSell(email: Email, packageRef: string | number): Promise<PricedPackage> {
    const pkg = this.catalog.find(packageRef);
    if (!pkg || pkg.id === 0) {
      const known = this.catalog.paid.map((p) => p.name).join(', ');
      throw new UnknownPackageError(`There is no package ${JSON.stringify(packageRef)}; packages: ${known}.`);
    }
    if (!pkg.stripePriceId) {
      throw new PackageNotForSaleError(`The ${pkg.name} package has no Stripe price (PACKAGES).`, {
        package: pkg.name,
      });
    }
    const current = await this.entitlements.packageOf(email);
    if (current >= pkg.id) {
      throw new PackageAlreadyOwnedError(
        `You already have ${this.catalog.nameOf(current)}, which includes ${pkg.name}.`,
        { currentPackage: this.catalog.nameOf(current) },
      );
    }
    return { ...pkg, stripePriceId: pkg.stripePriceId };
  }

  private async refuseSecondSubscription(email: Email, pkg: Package): Promise<void> {
    const existing = await this.subscriptions.inForceFor(email);
    if (existing) {
      throw new AlreadySubscribedError(
        `You already have a subscription (${existing.status}); change it to ${pkg.name} in the customer portal.`,
      );
    }
  }

  private async createSession(stripe: Stripe, of: SessionFor): Promise<OpenCheckout> {
    try {
      const session = await stripe.checkout.sessions.create(checkoutSessionParams(of, this.payments));
      return { sessionId: session.id, url: session.url, expiresAt: session.expires_at };
    } catch (error) {
      throw stripeFailure(error, 'start the checkout', this.logger);
    }
  }

  /** Whether Stripe can still take payment on the session (neither completed nor expired). */
  private async stillOpen(stripe: Stripe, sessionId: string): Promise<boolean> {
    try {
      return (await stripe.checkout.sessions.retrieve(sessionId)).status === 'open';
    } catch (error) {
      throw stripeFailure(error, 'look up your open checkout', this.logger);
    }
  }

  private async expireQuietly(stripe: Stripe, sessionId: string): Promise<void> {
    try {
      await stripe.checkout.sessions.expire(sessionId);
    } catch (error) {
      // Unexpired, it still times out after 24 h; nobody was sent to its url.
      this.logger.warn(`could not expire duplicate Checkout Session ${sessionId}: ${String(error)}`);
    }
  }
}

const asSession = (open: OpenCheckout): CheckoutSession => ({ id: open.sessionId, url: open.url });
