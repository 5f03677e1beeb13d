import { randomUUID } from 'node:crypto';
import { noSuch, ok, type StandInAnswer } from './answers.js';
import type { StandInClock } from './clock.js';
import { metadataOf, type RecordedStripeRequest } from './request.js';

/** The fields of a v1 `customer` created from a form, as Stripe's API reference lists them. */
function customerObject(form: Record<string, string>, created: number) {
  return {
    id: `cus_${randomUUID().replaceAll('-', '').slice(0, 14)}`,
    object: 'customer' as const,
    address: null,
    balance: 0,
    created,
    currency: null,
    default_source: null,
    delinquent: false,
    description: form.description ?? null,
    email: form.email ?? null,
    invoice_prefix: randomUUID().slice(0, 8).toUpperCase(),
    livemode: false,
    metadata: metadataOf(form),
    name: form.name ?? null,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}

export type CustomerObject = ReturnType<typeof customerObject>;

/** Customers Stripe holds: every one created, and which of them were deleted since. */
export class StandInCustomers {
  readonly all: CustomerObject[] = [];
  readonly deleted = new Set<string>();

  constructor(private readonly clock: StandInClock) {}

  create(request: RecordedStripeRequest): StandInAnswer {
    const customer = customerObject(request.form, this.clock.now());
    this.all.push(customer);
    return ok(customer);
  }

  /** A customer made outside packgate's calls (by a test, or by Checkout for a session without one). */
  add(fields: { email?: string | null; metadata?: Record<string, string> }): string {
    const form: Record<string, string> = fields.email ? { email: fields.email } : {};
    for (const [key, value] of Object.entries(fields.metadata ?? {})) form[`metadata[${key}]`] = value;
    const customer = customerObject(form, this.clock.now());
    this.all.push(customer);
    return customer.id;
  }

  retrieve(id: string): StandInAnswer {
    const customer = this.all.find((c) => c.id === id);
    if (!customer) return noSuch('customer', id, 'id');
    return ok(this.deleted.has(id) ? deletedCustomer(id) : customer);
  }

  delete(id: string): StandInAnswer {
    if (!this.all.some((c) => c.id === id) || this.deleted.has(id)) return noSuch('customer', id, 'id');
    this.deleted.add(id);
    return ok(deletedCustomer(id));
  }

  /** Whether a request may name this customer (it exists and is not deleted). */
  usable(id: string): boolean {
    return this.all.some((c) => c.id === id) && !this.deleted.has(id);
  }

  clear(): void {
    this.all.length = 0;
    this.deleted.clear();
  }
}

const deletedCustomer = (id: string) => ({ id, object: 'customer' as const, deleted: true as const });
