import { Inject } from '@nestjs/common';
import type Stripe from 'stripe';
import { DependencyUnavailableError } from '../../common/domain-error.js';

/**
 * The stripe SDK client, made on first call (the SDK is loaded then: see stripe-sdk.ts); null when
 * STRIPE_SECRET_KEY is not set: checkout is then unavailable.
 */
export type StripeClient = () => Promise<Stripe | null>;

export const STRIPE = Symbol('STRIPE');
export const InjectStripe = () => Inject(STRIPE);

/** The client, or a 503 naming `what` needs it when STRIPE_SECRET_KEY is not set. */
export async function requireStripe(client: StripeClient, what: string): Promise<Stripe> {
  const stripe = await client();
  if (!stripe)
    throw new DependencyUnavailableError(`${what} needs STRIPE_SECRET_KEY, which is not set here.`);
  return stripe;
}
