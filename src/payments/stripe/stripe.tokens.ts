import { Inject } from '@nestjs/common';
import type Stripe from 'stripe';

/**
 * The stripe SDK client, made on first call (the SDK is loaded then: see stripe-sdk.ts); null when
 * STRIPE_SECRET_KEY is not set: checkout is then unavailable.
 */
export type StripeClient = () => Promise<Stripe | null>;

export const STRIPE = Symbol('STRIPE');
export const InjectStripe = () => Inject(STRIPE);
