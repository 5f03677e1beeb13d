import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Email } from '../../common/email.js';
import type { AppConfig } from '../../config/app-config.js';
import { CustomerDirectory } from '../customers/customer-directory.js';
import { NoCustomerError } from '../payment.errors.js';
import { stripeFailure } from '../stripe/stripe-errors.js';
import { InjectStripe, requireStripe, type StripeClient } from '../stripe/stripe.tokens.js';

/**
 * Stripe's customer portal, where a user changes plan, cancels, updates their card and sees their
 * invoices: packgate opens a session for the user's recorded customer and learns the outcome from
 * the webhook, never from the return.
 */
@Injectable()
export class PortalService {
  private readonly logger = new Logger('Portal');
  private readonly returnUrl: string;

  constructor(
    @InjectStripe() private readonly stripeClient: StripeClient,
    private readonly directory: CustomerDirectory,
    config: ConfigService<AppConfig, true>,
  ) {
    this.returnUrl = config.get('payments', { infer: true }).portalReturnUrl;
  }

  /** The url of a new portal session; sessions are short-lived, so one per visit. */
  async open(email: Email): Promise<string> {
    const stripe = await requireStripe(this.stripeClient, 'The customer portal');
    const customer = await this.directory.customerOf(email);
    if (!customer) {
      throw new NoCustomerError('You have no billing account yet: it is made at your first checkout.');
    }
    try {
      const session = await stripe.billingPortal.sessions.create({ customer, return_url: this.returnUrl });
      return session.url;
    } catch (error) {
      throw stripeFailure(error, 'open the billing portal', this.logger);
    }
  }
}
