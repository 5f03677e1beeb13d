import type Stripe from 'stripe';
import type { Email } from '../../common/email.js';
import type { PaymentsConfig } from '../../config/app-config.js';

export interface SessionFor {
  email: Email;
  packageId: number;
  priceId: string;
  customer: string;
  /** `subscription` for a recurring price, `payment` for a one-time one. */
  mode: 'payment' | 'subscription';
}

/**
 * What Stripe is asked to open. The webhook grants from our metadata, never from what the buyer
 * types on Stripe's page: on the session, and on what the session creates (its payment intent, or
 * its subscription, whose later events carry no session).
 */
export function checkoutSessionParams(
  of: SessionFor,
  payments: Pick<PaymentsConfig, 'successUrl' | 'cancelUrl'>,
): Stripe.Checkout.SessionCreateParams {
  const metadata = { email: of.email, package_id: String(of.packageId), price_id: of.priceId };
  return {
    mode: of.mode,
    line_items: [{ price: of.priceId, quantity: 1 }],
    client_reference_id: of.email,
    // Stripe refuses customer_email beside customer; the customer carries the email.
    customer: of.customer,
    metadata,
    // Stripe refuses payment_intent_data in subscription mode, and subscription_data in payment mode.
    ...(of.mode === 'subscription'
      ? { subscription_data: { metadata } }
      : { payment_intent_data: { metadata: { email: of.email, package_id: String(of.packageId) } } }),
    success_url: payments.successUrl,
    cancel_url: payments.cancelUrl,
  };
}
