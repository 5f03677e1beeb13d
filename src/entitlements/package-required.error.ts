import { z } from 'zod';
import { DomainError } from '../common/domain-error.js';
import { errorBodySchema } from '../common/error-body.js';
import type { SubscriptionLapse } from '../users/user-subscription.js';

const LAPSES = [
  'subscription_past_due',
  'subscription_ended',
] as const satisfies readonly SubscriptionLapse[];

const packageRequiredDetails = z.strictObject({
  requiredPackage: z.string().meta({ description: 'The package the route needs.', example: 'pro' }),
  currentPackage: z.string().meta({ description: "The caller's package now.", example: 'basic' }),
  checkout: z.string().meta({
    description: 'Where to buy it (under the app’s global prefix, if any).',
    example: '/payments/checkout',
  }),
  reason: z.enum(LAPSES).optional().meta({ description: "Why a subscriber's package lapsed." }),
  portal: z
    .string()
    .optional()
    .meta({ description: 'Where to mend the subscription.', example: '/payments/portal' }),
});

/** The whole 402 answer, as the OpenAPI document shows it. */
export const packageRequiredBodySchema = z.strictObject({
  ...errorBodySchema.shape,
  statusCode: z.literal(402),
  error: z.literal('Payment Required'),
  code: z.literal('PAYMENTS.PACKAGE_REQUIRED'),
  ...packageRequiredDetails.shape,
});

/**
 * The caller's package is below what the route needs: a 402 that says how to fix it, and, for a
 * subscriber whose subscription lapsed, why (`reason`) and where to mend it (`portal`).
 */
export class PackageRequiredError extends DomainError {
  readonly code = 'PAYMENTS.PACKAGE_REQUIRED';

  constructor(requiredPackage: string, currentPackage: string, lapse: SubscriptionLapse | null = null) {
    const details: z.infer<typeof packageRequiredDetails> = {
      requiredPackage,
      currentPackage,
      checkout: '/payments/checkout',
      ...(lapse ? { reason: lapse, portal: '/payments/portal' } : {}),
    };
    super(`This route needs the ${requiredPackage} package; you have ${currentPackage}.`, details);
  }
}
