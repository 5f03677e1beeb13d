import type Stripe from 'stripe';
import { z } from 'zod';
import { DomainError } from '../../common/domain-error.js';

export class InvalidStripeEventError extends DomainError {
  readonly code = 'PAYMENTS.INVALID_EVENT';
}

/** A Stripe object id: its prefix (`evt_`, `pi_`, `cs_`…), then letters, digits and `_`, as Stripe makes them. */
export function isStripeId(value: unknown, prefix: string): value is string {
  return (
    typeof value === 'string' &&
    value.length <= 255 &&
    value.startsWith(prefix) &&
    /^[A-Za-z0-9_]+$/.test(value.slice(prefix.length)) &&
    value.length > prefix.length
  );
}

const plainObject = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  { error: 'must be an object' },
);

/** What packgate reads of a Stripe event; the OpenAPI document shows the webhook's body from it. */
export const stripeEventEnvelope = z.object({
  id: z
    .custom<string>((value) => isStripeId(value, 'evt_'), { error: 'must be an event id (evt_…)' })
    .meta({ type: 'string', pattern: '^evt_[A-Za-z0-9_]+$', maxLength: 255 }),
  type: z
    .string({ error: 'must be a string' })
    .max(100)
    .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, { error: 'must be an event type such as charge.refunded' }),
  created: z.number({ error: 'must be a number' }).int().nonnegative(),
  data: z.object(
    { object: plainObject.meta({ type: 'object' }) },
    { error: 'must be an object with an object' },
  ),
});

/**
 * A verified body as a Stripe event, or 400 PAYMENTS.INVALID_EVENT: checked before anything is
 * written, so a signed but malformed body can neither crash the handler nor leave a marker.
 */
export function parseStripeEvent(body: unknown): Stripe.Event {
  const parsed = stripeEventEnvelope.safeParse(body);
  if (!parsed.success) {
    throw new InvalidStripeEventError('The signed body is not a Stripe event; nothing was recorded.', {
      issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`),
    });
  }
  return body as Stripe.Event;
}
