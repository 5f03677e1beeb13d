import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RateLimitedError } from '../../common/domain-error.js';
import type { AppConfig } from '../../config/app-config.js';
import { FailureLimiter } from '../../http/failure-limiter.js';
import type { RateLimitStatus } from '../../http/rate-limit-headers.js';

/** One address sent more badly signed webhooks than WEBHOOK_FAILURE_LIMIT allows. */
export class TooManyInvalidSignaturesError extends RateLimitedError {
  readonly code = 'PAYMENTS.TOO_MANY_INVALID_SIGNATURES';

  constructor(rateLimit: RateLimitStatus) {
    super(
      `Too many webhooks with a missing or invalid Stripe-Signature from your address; try again in ${rateLimit.resetS} s.`,
      rateLimit,
    );
  }
}

/**
 * Webhooks with a missing or bad signature per client address (WEBHOOK_FAILURE_LIMIT, default 20 a
 * minute). Stripe delivers from a few shared addresses: a correctly signed event is applied whatever
 * the count, so a forger on one of them cannot hold up real deliveries.
 */
@Injectable()
export class WebhookFailureLimiter extends FailureLimiter {
  constructor(config: ConfigService<AppConfig, true>) {
    super('bad-webhook-signature', config.get('failureLimits', { infer: true }).webhookSignature);
  }
}
