import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type Stripe from 'stripe';
import { DependencyUnavailableError } from '../common/domain-error.js';
import type { Email } from '../common/email.js';
import type { AppConfig, PaymentsConfig } from '../config/app-config.js';
import { EntitlementsService } from '../entitlements/entitlements.service.js';
import { PackageCatalog, type Package } from '../entitlements/package-catalog.js';
import { OpenCheckouts, type OpenCheckout } from './open-checkouts.js';
import { PackageAlreadyOwnedError, PackageNotForSaleError, UnknownPackageError } from './payment.errors.js';
import { StripeCustomers } from './stripe-customers.js';
import { stripeFailure } from './stripe-errors.js';
import { InjectStripe } from './stripe.tokens.js';

export interface CheckoutSession {
  id: string;
  url: string | null;
}

/** A checkout's answer; `created` is false when the caller's open session for the package is reused. */
export interface CheckoutStart {
  session: CheckoutSession;
  created: boolean;
}

/**
 * Creates Stripe Checkout Sessions that the webhook can later tie to a user and a package: one open
 * session per user and package at a time, for the user's one Stripe Customer.
 */
@Injectable()
export class CheckoutService {
  private readonly logger = new Logger('Checkout');
  private readonly payments: PaymentsConfig;

  constructor(
    @InjectStripe() private readonly stripe: Stripe | null,
    private readonly catalog: PackageCatalog,
    private readonly entitlements: EntitlementsService,
    private readonly customers: StripeCustomers,
    private readonly openCheckouts: OpenCheckouts,
    config: ConfigService<AppConfig, true>,
  ) {
    this.payments = config.get('payments', { infer: true });
  }

  async start(email: Email, packageRef: string | number): Promise<CheckoutStart> {
    const pkg = await this.packageToSell(email, packageRef);
    const stripe = this.stripe;
    if (!stripe)
      throw new DependencyUnavailableError('Checkout is not configured here: set STRIPE_SECRET_KEY.');
    const remembered = await this.openCheckouts.find(email, pkg.id);
    if (remembered && (await this.stillOpen(stripe, remembered.sessionId))) {
      return { session: asSession(remembered), created: false };
    }
    const customer = await this.customers.customerFor(stripe, email);
    const created = await this.createSession(stripe, email, pkg, customer);
    const inForce = await this.openCheckouts.remember(email, pkg.id, created, remembered?.sessionId ?? null);
    if (inForce.sessionId === created.sessionId) return { session: asSession(created), created: true };
    // A concurrent checkout of the same package stored its session first: one way to pay, not two.
    await this.expireQuietly(stripe, created.sessionId);
    return { session: asSession(inForce), created: false };
  }

  private async packageToSell(email: Email, packageRef: string | number): Promise<Package> {
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
    return pkg;
  }

  private async createSession(
    stripe: Stripe,
    email: Email,
    pkg: Package,
    customer: string,
  ): Promise<OpenCheckout> {
    try {
      const session = await stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [{ price: pkg.stripePriceId, quantity: 1 }],
        client_reference_id: email,
        // Stripe refuses customer_email beside customer; the customer carries the email.
        customer,
        // The webhook grants from these, never from what the buyer types on Stripe's page.
        metadata: { email, package_id: String(pkg.id), price_id: pkg.stripePriceId ?? '' },
        payment_intent_data: { metadata: { email, package_id: String(pkg.id) } },
        success_url: this.payments.successUrl,
        cancel_url: this.payments.cancelUrl,
      });
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
