import { describe, expect, it } from '@jest/globals';
import {
  ConditionalCheckFailedException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { DependencyUnavailableError, StorageRejectedError } from '../common/domain-error.js';
import { isPermanentCancellation, isTransientDynamoError, storageFailure } from './dynamo-errors.js';
import { TransactionCancelledError } from './transaction.js';

const meta = (httpStatusCode?: number) => ({ $metadata: { httpStatusCode } });
const serviceError = (name: string, httpStatusCode: number, fault: 'client' | 'server') =>
  Object.assign(new Error(`${name} from DynamoDB`), { name, $fault: fault, ...meta(httpStatusCode) });

describe('DynamoDB error classification', () => {
  it.each<[string, unknown]>([
    ['throttling', new ProvisionedThroughputExceededException({ message: 'slow down', ...meta(400) })],
    ['a 5xx', new InternalServerError({ message: 'oops', ...meta(500) })],
    [
      'a missing table (operator fixes it)',
      new ResourceNotFoundException({ message: 'no table', ...meta(400) }),
    ],
    ['access denied (operator fixes it)', serviceError('AccessDeniedException', 400, 'client')],
    ['a request timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
    ['a refused connection', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })],
    ['a transport failure with no answer', Object.assign(new Error('socket hang up'), meta(undefined))],
    ['a transaction conflict', new TransactionCancelledError(['None', 'TransactionConflict'])],
  ])('%s is transient', (_label, error) => {
    expect(isTransientDynamoError(error)).toBe(true);
    expect(storageFailure(error, 'try later')).toBeInstanceOf(DependencyUnavailableError);
  });

  it.each<[string, unknown]>([
    ['a validation error', serviceError('ValidationException', 400, 'client')],
    [
      'an item collection over its limit',
      serviceError('ItemCollectionSizeLimitExceededException', 400, 'client'),
    ],
    [
      'a failed condition outside a transaction',
      new ConditionalCheckFailedException({ message: 'no', ...meta(400) }),
    ],
    ['a validation error inside a transaction', new TransactionCancelledError(['None', 'ValidationError'])],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['something thrown that is not an error', 'boom'],
  ])('%s is permanent', (_label, error) => {
    expect(isTransientDynamoError(error)).toBe(false);
    expect(storageFailure(error, 'try later')).toBeInstanceOf(StorageRejectedError);
  });

  it('reads a cancelled transaction by its reasons', () => {
    expect(isPermanentCancellation(['ConditionalCheckFailed', 'None'])).toBe(false);
    expect(isPermanentCancellation(['None', 'ThrottlingError'])).toBe(false);
    expect(isPermanentCancellation(['None', 'ItemCollectionSizeLimitExceeded'])).toBe(true);
  });
});
