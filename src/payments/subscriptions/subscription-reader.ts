import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { normalizeEmail, type Email } from '../../common/email.js';
import type { AppConfig, SubscriptionsConfig } from '../../config/app-config.js';
import { PackageCatalog } from '../../entitlements/package-catalog.js';
import { CustomerDirectory } from '../customers/customer-directory.js';
import { periodTakenBack, withSubscription, type Grant } from '../ledger/grant.js';
import { EventNotApplicableError } from '../payment.errors.js';
import { subscriptionState } from './subscription-access.js';
import { SubscriptionSource, type PaidPeriod, type SubscriptionSnapshot } from './subscription-source.js';

/**
 * A subscription grant brought to what Stripe says the subscription is now: whose it is, which
 * package its price buys (old prices included), and its access — none for a period whose payment was
 * refunded or disputed. Throws EventNotApplicableError (the
 * event is parked, the grant keeps its last state) when Stripe does not know it, it names no packgate
 * user, or its price is not in the catalog.
 */
@Injectable()
export class SubscriptionReader {
  private readonly config: SubscriptionsConfig;

  constructor(
    private readonly source: SubscriptionSource,
    private readonly customers: CustomerDirectory,
    private readonly catalog: PackageCatalog,
    config: ConfigService<AppConfig, true>,
  ) {
    this.config = config.get('subscriptions', { infer: true });
  }

  /** See SubscriptionSource.paidPeriod. */
  paidPeriod(invoiceId: string): Promise<PaidPeriod | null> {
    return this.source.paidPeriod(invoiceId);
  }

  async refreshed(grant: Grant): Promise<Grant & { email: Email }> {
    const id = grant.key;
    const snapshot = await this.source.current(id);
    if (!snapshot) throw new EventNotApplicableError(`Stripe does not know subscription ${id}`);
    const email = grant.email ?? (await this.subscriberOf(snapshot));
    if (!email) throw new EventNotApplicableError(`subscription ${id} names no packgate user`);
    const pkg = snapshot.priceId ? this.catalog.findByPrice(snapshot.priceId) : undefined;
    if (!pkg) {
      const kept = grant.packageId ? `package ${grant.packageId}` : 'no package';
      throw new EventNotApplicableError(
        `subscription ${id} is at price ${snapshot.priceId ?? '?'}, which PACKAGES does not list; it keeps ${kept}`,
      );
    }
    const state = subscriptionState(snapshot, this.config);
    const takenBack = periodTakenBack(grant.subscriptionPayments, snapshot.periodEnd);
    const subscription = takenBack ? { ...state, accessUntil: 0 } : state;
    return { ...withSubscription(grant, { email, packageId: pkg.id, subscription }), email };
  }

  /** Whose a subscription is: our metadata (set by our checkout), else its recorded customer. */
  private async subscriberOf(snapshot: SubscriptionSnapshot): Promise<Email | null> {
    const claimed = snapshot.metadata.email;
    if (claimed) {
      try {
        return normalizeEmail(claimed);
      } catch {
        // not an address: fall back to the customer
      }
    }
    return snapshot.customer ? this.customers.userOf(snapshot.customer) : null;
  }
}
