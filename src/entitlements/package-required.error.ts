import { DomainError } from '../common/domain-error.js';
import type { SubscriptionLapse } from '../users/user-subscription.js';

/**
 * The caller's package is below what the route needs: a 402 that says how to fix it, and, for a
 * subscriber whose subscription lapsed, why (`reason`) and where to mend it (`portal`).
 */
export class PackageRequiredError extends DomainError {
  readonly code = 'PAYMENTS.PACKAGE_REQUIRED';

  constructor(requiredPackage: string, currentPackage: string, lapse: SubscriptionLapse | null = null) {
    super(`This route needs the ${requiredPackage} package; you have ${currentPackage}.`, {
      requiredPackage,
      currentPackage,
      checkout: '/payments/checkout',
      ...(lapse ? { reason: lapse, portal: '/payments/portal' } : {}),
    });
  }
}
