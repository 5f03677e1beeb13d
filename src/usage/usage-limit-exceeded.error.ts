import { DomainError } from '../common/domain-error.js';

/** The caller used up a limit of their package: 429, with when to come back and what buys more. */
export class UsageLimitExceededError extends DomainError {
  readonly code = 'USAGE.LIMIT_EXCEEDED';

  constructor(policy: string, limit: number, retryAfterS: number, upgrade: string | null) {
    super(`Your package allows ${limit} requests per ${policy}; try again in ${retryAfterS} s.`, {
      policy,
      limit,
      retryAfter: retryAfterS,
      ...(upgrade ? { upgrade: { package: upgrade, checkout: '/payments/checkout' } } : {}),
    });
  }
}
