import { invalidRequest, type StandInAnswer } from './answers.js';
import type { StandInPrices } from './prices.js';

/** The prices of a session's line items, in order (`line_items[0][price]`, …). */
export function lineItemPrices(form: Record<string, string>): string[] {
  return Object.entries(form)
    .filter(([key]) => /^line_items\[\d+\]\[price\]$/.test(key))
    .sort(([a], [b]) => indexOf(a) - indexOf(b))
    .map(([, price]) => price);
}

const indexOf = (key: string) => Number(/\d+/.exec(key)?.[0]);

const hasParam = (form: Record<string, string>, name: string) =>
  Object.keys(form).some((key) => key.startsWith(`${name}[`));

/**
 * What Stripe refuses about a session's mode: a recurring price in `payment` mode, `subscription`
 * mode without one, and the other mode's settings. Prices the test did not define are not judged.
 */
export function modeRefusal(form: Record<string, string>, prices: StandInPrices): StandInAnswer | null {
  const mode = form.mode;
  const defined = lineItemPrices(form).flatMap((id) => prices.find(id) ?? []);
  if (mode === 'payment') {
    const recurring = defined.find((price) => price.type === 'recurring');
    if (recurring) {
      return invalidRequest(
        'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.',
        { param: 'line_items' },
      );
    }
    if (hasParam(form, 'subscription_data')) {
      return invalidRequest('You can not pass `subscription_data` in `payment` mode.', {
        param: 'subscription_data',
      });
    }
  }
  if (mode === 'subscription') {
    if (defined.length > 0 && defined.every((price) => price.type === 'one_time')) {
      return invalidRequest(
        'You must provide at least one recurring price in `subscription` mode when using prices.',
        { param: 'line_items' },
      );
    }
    if (hasParam(form, 'payment_intent_data')) {
      return invalidRequest('You can not pass `payment_intent_data` in `subscription` mode.', {
        param: 'payment_intent_data',
      });
    }
  }
  return null;
}

/** `subscription_data[metadata][key]=value` pairs: the metadata a session's subscription is created with. */
export function subscriptionMetadataOf(form: Record<string, string>): Record<string, string> {
  const prefix = 'subscription_data[metadata][';
  return Object.fromEntries(
    Object.entries(form)
      .filter(([key]) => key.startsWith(prefix) && key.endsWith(']'))
      .map(([key, value]) => [key.slice(prefix.length, -1), value]),
  );
}
