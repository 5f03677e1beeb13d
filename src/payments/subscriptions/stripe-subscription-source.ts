import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { isStripeNotFound, stripeFailure } from '../stripe/stripe-errors.js';
import { isStripeId } from '../events/stripe-event.envelope.js';
import { SubscriptionSource, type PaidPeriod, type SubscriptionSnapshot } from './subscription-source.js';
import { InjectStripe, requireStripe, type StripeClient } from '../stripe/stripe.tokens.js';

/** Reads subscriptions from Stripe's API, as Stripe recommends: the event says what changed, not what is. */
@Injectable()
export class StripeSubscriptionSource extends SubscriptionSource {
  private readonly logger = new Logger('StripeSubscriptions');

  constructor(@InjectStripe() private readonly stripeClient: StripeClient) {
    super();
  }

  async current(subscriptionId: string): Promise<SubscriptionSnapshot | null> {
    const stripe = await this.client();
    try {
      const subscription = await stripe.subscriptions.retrieve(subscriptionId);
      const latestInvoiceCreated =
        subscription.status === 'past_due' ? await this.invoiceCreated(subscription.latest_invoice) : null;
      return toSnapshot(subscription, latestInvoiceCreated);
    } catch (error) {
      if (isStripeNotFound(error)) return null;
      throw stripeFailure(error, 'read a subscription', this.logger);
    }
  }

  async paidPeriod(invoiceId: string): Promise<PaidPeriod | null> {
    const stripe = await this.client();
    try {
      const invoice = await stripe.invoices.retrieve(invoiceId, { expand: ['payments'] });
      const paymentIntents = (invoice.payments?.data ?? [])
        .map(({ payment }) => payment.payment_intent)
        .map((ref) => (typeof ref === 'string' ? ref : ref?.id))
        .filter((id): id is string => isStripeId(id, 'pi_'));
      return { periodEnd: invoice.lines.data[0]?.period.end ?? invoice.period_end, paymentIntents };
    } catch (error) {
      if (isStripeNotFound(error)) return null;
      throw stripeFailure(error, 'read an invoice', this.logger);
    }
  }

  private client(): Promise<Stripe> {
    return requireStripe(this.stripeClient, 'Reading subscriptions from Stripe');
  }

  private async invoiceCreated(invoice: string | Stripe.Invoice | null): Promise<number | null> {
    if (!invoice) return null;
    if (typeof invoice !== 'string') return invoice.created;
    const stripe = await this.client();
    return (await stripe.invoices.retrieve(invoice)).created;
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
