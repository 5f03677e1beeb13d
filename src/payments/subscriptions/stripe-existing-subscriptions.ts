import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import type { Email } from '../../common/email.js';
import { CustomerDirectory } from '../customers/customer-directory.js';
import {
  ExistingSubscriptions,
  SUBSCRIPTION_STATUSES_IN_FORCE,
  type ExistingSubscription,
} from './existing-subscriptions.js';
import { stripeFailure } from '../stripe/stripe-errors.js';
import { InjectStripe, requireStripe, type StripeClient } from '../stripe/stripe.tokens.js';

const inForce = (status: Stripe.Subscription.Status): status is ExistingSubscription['status'] =>
  (SUBSCRIPTION_STATUSES_IN_FORCE as readonly string[]).includes(status);

/** Asks Stripe, for the user's recorded customer; a user without one has never subscribed. */
@Injectable()
export class StripeExistingSubscriptions extends ExistingSubscriptions {
  private readonly logger = new Logger('StripeExistingSubscriptions');

  constructor(
    @InjectStripe() private readonly stripeClient: StripeClient,
    private readonly directory: CustomerDirectory,
  ) {
    super();
  }

  async inForceFor(email: Email): Promise<ExistingSubscription | null> {
    const customer = await this.directory.customerOf(email);
    if (!customer) return null;
    const stripe = await requireStripe(this.stripeClient, 'Checking for a subscription in force');
    try {
      // Filtered here, not by Stripe's default (all but canceled): paused, unpaid, incomplete do not count.
      for await (const subscription of stripe.subscriptions.list({
        customer,
        status: 'all',
        limit: 100,
      })) {
        if (inForce(subscription.status)) return { id: subscription.id, status: subscription.status };
      }
      return null;
    } catch (error) {
      throw stripeFailure(error, 'look up your subscriptions', this.logger);
    }
  }
}
