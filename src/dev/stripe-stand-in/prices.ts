import { noSuch, ok, type StandInAnswer } from './answers.js';
import type { StandInClock } from './clock.js';
import { stripeId } from './ids.js';

/** A price as a test defines it; one-time unless `recurring` is given. */
export interface PriceDefinition {
  id: string;
  recurring?: { interval: 'month' | 'year' };
  /** In the currency's smallest unit; 1000 unless given. */
  unitAmount?: number;
  currency?: string;
}

/** The fields of a v1 `price` (per-unit, licensed), as Stripe's API reference lists them. */
function priceObject(definition: PriceDefinition, created: number) {
  const unitAmount = definition.unitAmount ?? 1000;
  return {
    id: definition.id,
    object: 'price' as const,
    active: true,
    billing_scheme: 'per_unit' as const,
    created,
    currency: definition.currency ?? 'usd',
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {} as Record<string, string>,
    nickname: null,
    product: stripeId('prod', 14),
    recurring: definition.recurring
      ? {
          interval: definition.recurring.interval,
          interval_count: 1,
          meter: null,
          trial_period_days: null,
          usage_type: 'licensed' as const,
        }
      : null,
    tax_behavior: 'unspecified' as const,
    tiers_mode: null,
    transform_quantity: null,
    type: definition.recurring ? ('recurring' as const) : ('one_time' as const),
    unit_amount: unitAmount,
    unit_amount_decimal: String(unitAmount),
  };
}

export type PriceObject = ReturnType<typeof priceObject>;

/** The prices a test defined; Stripe's prices cannot change type or amount once created. */
export class StandInPrices {
  private readonly byId = new Map<string, PriceObject>();

  constructor(private readonly clock: StandInClock) {}

  define(definition: PriceDefinition): PriceObject {
    const price = priceObject(definition, this.clock.now());
    this.byId.set(price.id, price);
    return price;
  }

  find(id: string): PriceObject | undefined {
    return this.byId.get(id);
  }

  /** The price, or a test error naming what to define first. */
  get(id: string): PriceObject {
    const price = this.byId.get(id);
    if (!price) throw new Error(`the stand-in has no price ${id}: definePrice() it first`);
    return price;
  }

  retrieve(id: string): StandInAnswer {
    const price = this.byId.get(id);
    return price ? ok(price) : noSuch('price', id, 'price');
  }

  clear(): void {
    this.byId.clear();
  }
}
