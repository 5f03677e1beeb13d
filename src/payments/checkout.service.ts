import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Stripe from 'stripe';
import { DependencyUnavailableError } from '../common/domain-error.js';
import type { Email } from '../common/email.js';
import type { AppConfig, PaymentsConfig } from '../config/app-config.js';
import { EntitlementsService } from '../entitlements/entitlements.service.js';
import { PackageCatalog } from '../entitlements/package-catalog.js';
import {
  PackageAlreadyOwnedError,
  PackageNotForSaleError,
  PaymentProviderError,
  UnknownPackageError,
} from './payment.errors.js';
import { InjectStripe } from './stripe.tokens.js';

export interface CheckoutSession {
  id: string;
  url: string | null;
}

/** Creates Stripe Checkout Sessions that the webhook can later tie to a user and a package. */
@Injectable()
export class CheckoutService {
  private readonly payments: PaymentsConfig;

  constructor(
    @InjectStripe() private readonly stripe: Stripe | null,
    private readonly catalog: PackageCatalog,
    private readonly entitlements: EntitlementsService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.payments = config.get('payments', { infer: true });
  }

  async start(email: Email, packageRef: string | number): Promise<CheckoutSession> {
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
        {
          currentPackage: this.catalog.nameOf(current),
        },
      );
    }
    if (!this.stripe)
      throw new DependencyUnavailableError('Checkout is not configured here: set STRIPE_SECRET_KEY.');
    try {
      const session = await this.stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [{ price: pkg.stripePriceId, quantity: 1 }],
        client_reference_id: email,
        customer_email: email,
        // The webhook grants from these, never from what the buyer types on Stripe's page.
        metadata: { email, package_id: String(pkg.id), price_id: pkg.stripePriceId },
        payment_intent_data: { metadata: { email, package_id: String(pkg.id) } },
        success_url: this.payments.successUrl,
        cancel_url: this.payments.cancelUrl,
      });
      return { id: session.id, url: session.url };
    } catch (error) {
      if (
        error instanceof Stripe.errors.StripeConnectionError ||
        error instanceof Stripe.errors.StripeAPIError ||
        error instanceof Stripe.errors.StripeRateLimitError
      ) {
        throw new DependencyUnavailableError(
          'Stripe cannot be reached; try again shortly.',
          {},
          { cause: error },
        );
      }
      if (error instanceof Stripe.errors.StripeError) {
        throw new PaymentProviderError(`Stripe refused the checkout: ${error.message}`, {}, { cause: error });
      }
      throw error;
    }
  }
}
