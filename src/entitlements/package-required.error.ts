import { DomainError } from '../common/domain-error.js';

/** The caller's package is below what the route needs: a 402 that says how to fix it. */
export class PackageRequiredError extends DomainError {
  readonly code = 'PAYMENTS.PACKAGE_REQUIRED';

  constructor(requiredPackage: string, currentPackage: string) {
    super(`This route needs the ${requiredPackage} package; you have ${currentPackage}.`, {
      requiredPackage,
      currentPackage,
      checkout: '/payments/checkout',
    });
  }
}
