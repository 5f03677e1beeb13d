import Stripe from 'stripe';
import type { PaymentsConfig } from '../config/app-config.js';

/**
 * The stripe SDK client, or null without STRIPE_SECRET_KEY. STRIPE_API_URL points it elsewhere
 * (stripe-mock, or a local stand-in in tests). Bounded like every dependency call.
 */
export function createStripeClient(payments: PaymentsConfig): Stripe | null {
  if (!payments.stripeSecretKey) return null;
  const api = payments.stripeApiUrl ? new URL(payments.stripeApiUrl) : null;
  return new Stripe(payments.stripeSecretKey, {
    timeout: payments.stripeTimeoutMs,
    maxNetworkRetries: payments.stripeMaxNetworkRetries,
    ...(api
      ? {
          host: api.hostname,
          port: api.port || (api.protocol === 'https:' ? 443 : 80),
          protocol: api.protocol.slice(0, -1) as 'http' | 'https',
        }
      : {}),
  });
}
