import type Stripe from 'stripe';
import type { PaymentsConfig } from '../../config/app-config.js';
import { loadStripeSdk } from './stripe-sdk.js';
import type { StripeClient } from './stripe.tokens.js';

/**
 * The stripe SDK client, made when a payment first needs it; null without STRIPE_SECRET_KEY (the SDK
 * is then never loaded). STRIPE_API_URL points it elsewhere (stripe-mock, or a local stand-in in
 * tests). Bounded like every dependency call.
 */
export function stripeClient(payments: PaymentsConfig): StripeClient {
  const secretKey = payments.stripeSecretKey;
  if (!secretKey) return () => Promise.resolve(null);
  const options = clientOptions(payments); // at start, so a bad STRIPE_API_URL still fails it
  let client: Promise<Stripe> | undefined;
  return () => {
    client ??= loadStripeSdk().then((StripeSdk) => new StripeSdk(secretKey, options));
    return client;
  };
}

function clientOptions(payments: PaymentsConfig): Stripe.StripeConfig {
  const api = payments.stripeApiUrl ? new URL(payments.stripeApiUrl) : null;
  return {
    timeout: payments.stripeTimeoutMs,
    maxNetworkRetries: payments.stripeMaxNetworkRetries,
    ...(api
      ? {
          host: api.hostname,
          port: api.port || (api.protocol === 'https:' ? 443 : 80),
          protocol: api.protocol.slice(0, -1) as 'http' | 'https',
        }
      : {}),
  };
}
