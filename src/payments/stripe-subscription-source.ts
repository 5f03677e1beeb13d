import { Injectable, Logger } from '@nestjs/common';
import Stripe from 'stripe';
import { DependencyUnavailableError } from '../common/domain-error.js';
import { stripeFailure } from './stripe-errors.js';
import { SubscriptionSource, type SubscriptionSnapshot } from './subscription-source.js';
import { InjectStripe } from './stripe.tokens.js';

/** Reads subscriptions from Stripe's API, as Stripe recommends: the event says what changed, not what is. */
@Injectable()
export class StripeSubscriptionSource extends SubscriptionSource {
  private readonly logger = new Logger('StripeSubscriptions');

  constructor(@InjectStripe() private readonly stripe: Stripe | null) {
    super();
  }

  async current(subscriptionId: string): Promise<SubscriptionSnapshot | null> {
    if (!this.stripe) {
      throw new DependencyUnavailableError('Subscriptions need STRIPE_SECRET_KEY to be read from Stripe.');
    }
    try {
      const subscription = await this.stripe.subscriptions.retrieve(subscriptionId);
      const latestInvoiceCreated =
        subscription.status === 'past_due' ? await this.invoiceCreated(subscription.latest_invoice) : null;
      return toSnapshot(subscription, latestInvoiceCreated);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) return null;
      throw stripeFailure(error, 'read a subscription', this.logger);
    }
  }

  private async invoiceCreated(invoice: string | Stripe.Invoice | null): Promise<number | null> {
    if (!invoice) return null;
    if (typeof invoice !== 'string') return invoice.created;
    return (await this.stripe!.invoices.retrieve(invoice)).created;
  }
}

function toSnapshot(
  subscription: Stripe.Subscription,
  latestInvoiceCreated: number | null,
): SubscriptionSnapshot {
  const item = subscription.items.data[0];
  return {
    id: subscription.id,
    status: subscription.status,
    customer: typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id,
    metadata: subscription.metadata ?? {},
    priceId: item?.price?.id ?? null,
    // Since Stripe's 2025 API versions the period lives on each item, no longer on the subscription.
    periodEnd: item?.current_period_end ?? 0,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    cancelAt: subscription.cancel_at ?? null,
    latestInvoiceCreated,
  };
}
