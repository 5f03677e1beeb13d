import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { stripeFailure } from '../stripe/stripe-errors.js';

/** How a price bills: once, or every interval (a subscription). */
export type PriceKind = 'one_time' | 'recurring';

/**
 * Which of the catalog's prices are recurring, as Stripe says: asked once per price and process,
 * since Stripe never changes a price's type (a new type is a new price, and so a new PACKAGES entry).
 */
@Injectable()
export class StripePriceKinds {
  private readonly logger = new Logger('StripePriceKinds');
  private readonly known = new Map<string, PriceKind>();

  async kindOf(stripe: Stripe, priceId: string): Promise<PriceKind> {
    const known = this.known.get(priceId);
    if (known) return known;
    try {
      const price = await stripe.prices.retrieve(priceId);
      const kind: PriceKind = price.type === 'recurring' ? 'recurring' : 'one_time';
      this.known.set(priceId, kind);
      return kind;
    } catch (error) {
      throw stripeFailure(error, "look up the package's price", this.logger);
    }
  }
}
