import { DomainError } from '../common/domain-error.js';

export class UnknownPackageError extends DomainError {
  readonly code = 'PAYMENTS.UNKNOWN_PACKAGE';
}
export class PackageNotForSaleError extends DomainError {
  readonly code = 'PAYMENTS.NOT_FOR_SALE';
}
export class PackageAlreadyOwnedError extends DomainError {
  readonly code = 'PAYMENTS.ALREADY_OWNED';
}
/** Plan changes of a subscriber go through the portal: a second subscription would bill twice. */
export class AlreadySubscribedError extends DomainError {
  readonly code = 'PAYMENTS.ALREADY_SUBSCRIBED';

  constructor(message: string) {
    super(message, { portal: '/payments/portal' });
  }
}
/** The caller has no Stripe customer: they never started a checkout. */
export class NoCustomerError extends DomainError {
  readonly code = 'PAYMENTS.NO_CUSTOMER';
}
export class PaymentProviderError extends DomainError {
  readonly code = 'PAYMENTS.PROVIDER_ERROR';
}

/** A verified event that names money but cannot be applied as it stands (it is parked, not dropped). */
export class EventNotApplicableError extends DomainError {
  readonly code = 'PAYMENTS.NOT_APPLICABLE';

  constructor(readonly reason: string) {
    super(reason);
  }
}
export class UnappliedEventNotFoundError extends DomainError {
  readonly code = 'PAYMENTS.UNAPPLIED_NOT_FOUND';
}
export class StillUnappliedError extends DomainError {
  readonly code = 'PAYMENTS.STILL_UNAPPLIED';
}
