import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { DomainError } from '../common/domain-error.js';
import type { AuthenticatedRequest } from './current-identity.decorator.js';

export class TokenRequiredError extends DomainError {
  readonly code = 'AUTH.TOKEN_REQUIRED';
}

/**
 * For routes an API key must never reach (managing keys, staff routes): a key that leaks cannot mint
 * more keys, revoke the owner's others or act as staff. Runs after AuthGuard.
 */
@Injectable()
export class TokenCallerGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.switchToHttp().getRequest<AuthenticatedRequest>().identity?.apiKeyId !== undefined) {
      throw new TokenRequiredError(
        'This route needs a bearer token from your identity provider, not an API key.',
      );
    }
    return true;
  }
}
