import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthFailureLimiter, TooManyAuthFailuresError } from './auth-failures.js';
import { AuthenticationError } from './authentication.error.js';
import type { AuthenticatedRequest } from './current-identity.decorator.js';
import { Public } from './public.decorator.js';
import { TokenVerifier } from './token-verifier.js';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

interface RequestWithHeaders extends AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The client's address as Fastify derives it, TRUST_PROXY applied. */
  ip: string;
}

/**
 * Global: every route needs a verified bearer token unless marked @Public(). Refusals are counted per
 * client address (AUTH_FAILURE_LIMIT); past the limit they are answered 429 instead of 401. A valid
 * token passes whatever its address's count: the limit is on failures, and an office or mobile NAT
 * shares one address between a misbehaving client and good ones.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly failures: AuthFailureLimiter,
  ) {}

  // Answers synchronously when it can (public route, remembered token): Nest then skips an await,
  // and this runs on every request. Only a refusal touches the failure counts.
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.reflector.getAllAndOverride(Public, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<RequestWithHeaders>();
    const token = bearerToken(request.headers.authorization);
    if (token === null) {
      throw this.refusal(request, new AuthenticationError('Send an Authorization: Bearer <token> header.'));
    }
    const remembered = this.verifier.remembered(token);
    if (remembered) {
      request.identity = remembered;
      return true;
    }
    return this.verifier.verify(token).then(
      (identity) => {
        request.identity = identity;
        return true;
      },
      (error: unknown) => {
        throw this.refusal(request, error);
      },
    );
  }

  /** The error to answer with: a refused token counts against its address; other errors pass through. */
  private refusal(request: RequestWithHeaders, error: unknown): unknown {
    if (!(error instanceof AuthenticationError)) return error;
    const overLimit = this.failures.recordFailure(request.ip);
    return overLimit ? new TooManyAuthFailuresError(overLimit) : error;
  }
}

// Only the Authorization header counts: tokens in query strings end up in logs and browser history.
function bearerToken(header: string | string[] | undefined): string | null {
  const match = typeof header === 'string' ? BEARER.exec(header.trim()) : null;
  return match ? match[1] : null;
}
