import { DomainError } from '../common/domain-error.js';

export class ApiKeyLimitReachedError extends DomainError {
  readonly code = 'API_KEYS.LIMIT_REACHED';

  constructor(max: number) {
    super(`You already hold ${max} API keys (API_KEYS_MAX_PER_USER); revoke one first.`, { max });
  }
}

export class ApiKeyNotFoundError extends DomainError {
  readonly code = 'API_KEYS.NOT_FOUND';

  constructor() {
    super('There is no such API key.');
  }
}
