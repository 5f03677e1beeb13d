import { DependencyUnavailableError, StorageRejectedError } from '../common/domain-error.js';
import { TransactionCancelledError } from './transaction.js';

// Errors an operator fixes without a code change (a missing table, a missing permission, expired
// credentials) count as transient: once fixed, the caller's (or Stripe's) retry succeeds.
const TRANSIENT_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TransactionInProgressException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AccessDeniedException',
  'ResourceNotFoundException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'IncompleteSignatureException',
  'CredentialsProviderError',
  // Keys DynamoDB left unprocessed through every retry: throttling by another name.
  'BatchGetIncompleteError',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** Cancellation reasons of a transaction that the same request can never get past. */
const PERMANENT_CANCELLATION_CODES = new Set(['ValidationError', 'ItemCollectionSizeLimitExceeded']);

interface SdkErrorShape {
  name?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
}

/**
 * Whether a DynamoDB call that failed with `error` may succeed if tried again later: throttling,
 * conflicts, timeouts, network failures, 5xx, and what an operator fixes (access, missing table,
 * credentials). Validation errors, item or transaction limits and anything that is not an SDK or
 * network error (a bug) are permanent.
 */
export function isTransientDynamoError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof TransactionCancelledError) return !isPermanentCancellation(error.reasons);
  const shape = error as SdkErrorShape;
  if (TRANSIENT_NAMES.has(error.name)) return true;
  if (shape.code && NETWORK_CODES.has(shape.code)) return true;
  if (shape.$fault === 'server' || (shape.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  // An SDK error without any HTTP answer is a transport failure (socket hang up, aborted).
  if (shape.$metadata && shape.$metadata.httpStatusCode === undefined) return true;
  return false;
}

/** Whether a cancelled transaction failed on something no retry can fix. */
export function isPermanentCancellation(reasons: readonly string[]): boolean {
  return reasons.some((code) => PERMANENT_CANCELLATION_CODES.has(code));
}

/** The domain error for a failed DynamoDB call: 503 and retry when transient, else a permanent rejection. */
export function storageFailure(error: unknown, unavailableMessage: string): Error {
  if (isTransientDynamoError(error)) {
    return new DependencyUnavailableError(unavailableMessage, {}, { cause: error });
  }
  const description = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new StorageRejectedError(`DynamoDB refused the request: ${description}`, {}, { cause: error });
}

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Runs a DynamoDB call, turning a failure into the domain's error (see storageFailure). Errors of the
 * `passThrough` classes (a failed condition the caller reads) are rethrown as they are.
 */
export async function withStorageErrors<T>(
  operation: () => Promise<T>,
  unavailableMessage: string,
  passThrough: ErrorClass[] = [],
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (passThrough.some((type) => error instanceof type)) throw error;
    throw storageFailure(error, unavailableMessage);
  }
}
