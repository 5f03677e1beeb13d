import { Inject } from '@nestjs/common';

/** The stripe SDK client (null when STRIPE_SECRET_KEY is not set: checkout is then unavailable). */
export const STRIPE = Symbol('STRIPE');
export const InjectStripe = () => Inject(STRIPE);
