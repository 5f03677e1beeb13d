import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RateLimitedError } from '../common/domain-error.js';
import type { AppConfig } from '../config/app-config.js';
import { FailureLimiter } from '../http/failure-limiter.js';
import type { RateLimitStatus } from '../http/rate-limit-headers.js';

/** One address sent more refused tokens than AUTH_FAILURE_LIMIT allows. */
export class TooManyAuthFailuresError extends RateLimitedError {
  readonly code = 'AUTH.TOO_MANY_FAILURES';

  constructor(rateLimit: RateLimitStatus) {
    super(
      `Too many requests with a missing or invalid token from your address; try again in ${rateLimit.resetS} s.`,
      rateLimit,
    );
  }
}

/** Refused bearer tokens per client address (AUTH_FAILURE_LIMIT, default 20 a minute). */
@Injectable()
export class AuthFailureLimiter extends FailureLimiter {
  constructor(config: ConfigService<AppConfig, true>) {
    super('failed-auth', config.get('failureLimits', { infer: true }).authentication);
  }
}
