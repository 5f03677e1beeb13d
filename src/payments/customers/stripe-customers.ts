import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import type { Email } from '../../common/email.js';
import { CustomerDirectory } from './customer-directory.js';
import { stripeFailure } from '../stripe/stripe-errors.js';

// Stripe prunes idempotency keys after 24 h, so the key only dedupes retries close together; the
// directory's conditional write is what keeps one customer per user for ever.
const idempotencyKeyOf = (email: Email) =>
  `packgate-customer-${createHash('sha256').update(email).digest('hex')}`;

/** Each user's one Stripe Customer, created at their first checkout. */
@Injectable()
export class StripeCustomers {
  private readonly logger = new Logger('StripeCustomers');

  constructor(private readonly directory: CustomerDirectory) {}

  async customerFor(stripe: Stripe, email: Email): Promise<string> {
    const known = await this.directory.customerOf(email);
    if (known) return known;
    const created = await this.create(stripe, email);
    const inForce = await this.directory.claim(email, created);
    if (inForce !== created) await this.discard(stripe, created, email);
    return inForce;
  }

  private async create(stripe: Stripe, email: Email): Promise<string> {
    try {
      const customer = await stripe.customers.create(
        { email, metadata: { packgate_email: email } },
        { idempotencyKey: idempotencyKeyOf(email) },
      );
      return customer.id;
    } catch (error) {
      throw stripeFailure(error, 'create a customer record', this.logger);
    }
  }

  /** Another checkout recorded its customer first: ours is a duplicate nobody will use. */
  private async discard(stripe: Stripe, customerId: string, email: Email): Promise<void> {
    try {
      await stripe.customers.del(customerId);
    } catch (error) {
      this.logger.warn(
        `could not delete duplicate Stripe customer ${customerId} of ${email}: ${String(error)}`,
      );
    }
  }
}
