import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Email } from '../common/email.js';

/** Who is calling, as established by AuthGuard from a verified token. */
export interface Identity {
  email: Email;
  /** Set when the caller authenticated with an API key (its id), absent for a bearer token. */
  apiKeyId?: string;
}

export interface AuthenticatedRequest {
  identity?: Identity;
}

/** The verified caller of an authenticated route. */
export const CurrentIdentity = createParamDecorator((_data: unknown, context: ExecutionContext): Identity => {
  const identity = context.switchToHttp().getRequest<AuthenticatedRequest>().identity;
  if (!identity) throw new Error('CurrentIdentity used on a route that AuthGuard did not authenticate');
  return identity;
});
