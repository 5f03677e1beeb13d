import type { RateLimitStatus } from '../http/rate-limit-headers.js';

/**
 * Base of every error the domain raises on purpose. The dotted `code` (`USERS.NOT_FOUND`) is the
 * contract: the HTTP layer maps codes to statuses; nothing below it knows about HTTP.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  /**
   * The HTTP status of an error an app built on packgate defines (`readonly status = 422`); packgate's
   * own errors leave it unset and are mapped by code in the HTTP layer.
   */
  readonly status?: number;

  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A dependency (DynamoDB, an identity provider) did not answer in time or failed: retry later. */
export class DependencyUnavailableError extends DomainError {
  readonly code = 'DEPENDENCY.UNAVAILABLE';
}

/** The request itself is malformed in a way no domain rule covers (bad JSON, unexpected body). */
export class InvalidRequestError extends DomainError {
  readonly code = 'REQUEST.INVALID';
}

/** The body is not JSON, the one media type packgate's routes read. */
export class UnsupportedMediaTypeError extends DomainError {
  readonly code = 'REQUEST.UNSUPPORTED_MEDIA_TYPE';
}

/**
 * The database refused a request for good (a validation error, an item or transaction limit): retrying
 * it cannot help. A bug to fix, so it answers 500 INTERNAL; a payment event it hits is parked instead.
 */
export class StorageRejectedError extends DomainError {
  readonly code = 'STORAGE.REJECTED';
}

/**
 * Too many of something from one client: answered 429 with Retry-After and the RateLimit fields of
 * `rateLimit`. Subclasses name what was counted in their code (`AUTH.TOO_MANY_FAILURES`).
 */
export abstract class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly rateLimit: RateLimitStatus,
  ) {
    super(message);
  }
}
