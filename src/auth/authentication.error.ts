import { DomainError } from '../common/domain-error.js';

/** The caller could not be identified: no token, or one that fails verification. */
export class AuthenticationError extends DomainError {
  readonly code = 'AUTH.UNAUTHENTICATED';
}
