import { invalidRequest, ok, type StandInAnswer } from './answers.js';
import type { StandInClock } from './clock.js';
import { stripeId } from './ids.js';
import type { StandInCustomers } from './customers.js';
import type { RecordedStripeRequest } from './request.js';

/** The fields of a v1 `billing_portal.session`. */
function portalSession(customer: string, returnUrl: string | null, created: number) {
  const id = stripeId('bps');
  return {
    id,
    object: 'billing_portal.session' as const,
    configuration: 'bpc_stand_in_default',
    created,
    customer,
    customer_account: null,
    flow: null,
    livemode: false,
    locale: null,
    on_behalf_of: null,
    return_url: returnUrl,
    url: `https://billing.stripe.com/p/session/test_${id.slice(4)}`,
  };
}

export type PortalSessionObject = ReturnType<typeof portalSession>;

/** Customer portal sessions: one per visit, for a customer Stripe has. */
export class StandInBillingPortal {
  readonly all: PortalSessionObject[] = [];

  constructor(
    private readonly clock: StandInClock,
    private readonly customers: StandInCustomers,
  ) {}

  create(request: RecordedStripeRequest): StandInAnswer {
    const { customer, return_url: returnUrl } = request.form;
    if (!customer) return invalidRequest('Missing required param: customer.', { param: 'customer' });
    if (!this.customers.usable(customer)) {
      return invalidRequest(`No such customer: '${customer}'`, {
        code: 'resource_missing',
        param: 'customer',
      });
    }
    const session = portalSession(customer, returnUrl ?? null, this.clock.now());
    this.all.push(session);
    return ok(session);
  }

  clear(): void {
    this.all.length = 0;
  }
}
