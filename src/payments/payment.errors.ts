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
export class PaymentProviderError extends DomainError {
  readonly code = 'PAYMENTS.PROVIDER_ERROR';
}
