import type { Logger } from '@nestjs/common';
import { DependencyUnavailableError } from '../../common/domain-error.js';
import { PaymentProviderError } from '../payment.errors.js';
import { loadedStripeErrors } from './stripe-sdk.js';

/**
 * What a failed Stripe call means to packgate's caller. Stripe's own message is written for the
 * merchant (it names parameters, prices, accounts): it is logged with its request id, and the caller
 * gets a generic message and that id to quote to support.
 */
export function stripeFailure(error: unknown, attempted: string, logger: Logger): unknown {
  const errors = loadedStripeErrors();
  if (!errors || !(error instanceof errors.StripeError)) return error;
  const transient =
    error instanceof errors.StripeConnectionError ||
    error instanceof errors.StripeAPIError ||
    error instanceof errors.StripeRateLimitError ||
    // Another request with the same idempotency key was still running after the SDK's retries.
    (error instanceof errors.StripeIdempotencyError && error.statusCode === 409);
  if (transient) {
    return new DependencyUnavailableError(
      'Stripe cannot be reached; try again shortly.',
      {},
      { cause: error },
    );
  }
  const requestId = error.requestId;
  const facts = [
    error.statusCode,
    error.type,
    error.code && `code ${error.code}`,
    error.param && `param ${error.param}`,
    `request ${requestId ?? 'none'}`,
  ];
  logger.error(`Stripe refused to ${attempted} (${facts.filter(Boolean).join(', ')}): ${error.message}`);
  const quote = requestId ? ` If this persists, contact support and quote ${requestId}.` : '';
  return new PaymentProviderError(
    `Our payment provider could not ${attempted}.${quote}`,
    requestId ? { requestId } : {},
    { cause: error },
  );
}

/** Stripe answered 404 for the object asked for. */
export function isStripeNotFound(error: unknown): boolean {
  const errors = loadedStripeErrors();
  return !!errors && error instanceof errors.StripeInvalidRequestError && error.statusCode === 404;
}
