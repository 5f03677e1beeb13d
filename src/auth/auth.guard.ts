import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Metrics } from '../metrics/metrics.js';
import { AuthenticationError } from './authentication.error.js';
import type { AuthenticatedRequest } from './current-identity.decorator.js';
import { Public } from './public.decorator.js';
import { TokenVerifier } from './token-verifier.js';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

interface RequestWithHeaders extends AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
}

/** Global: every route needs a verified bearer token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly metrics: Metrics,
  ) {}

  // Answers synchronously when it can (public route, remembered token): Nest then skips an await,
  // and this runs on every request.
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.reflector.getAllAndOverride(Public, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<RequestWithHeaders>();
    const token = bearerToken(request.headers.authorization);
    const remembered = this.verifier.remembered(token);
    this.metrics.cacheLookedUp('token', remembered !== undefined);
    if (remembered) {
      request.identity = remembered;
      return true;
    }
    return this.verifier.verify(token).then((identity) => {
      request.identity = identity;
      return true;
    });
  }
}

// Only the Authorization header counts: tokens in query strings end up in logs and browser history.
function bearerToken(header: string | string[] | undefined): string {
  const match = typeof header === 'string' ? BEARER.exec(header.trim()) : null;
  if (!match) throw new AuthenticationError('Send an Authorization: Bearer <token> header.');
  return match[1];
}
