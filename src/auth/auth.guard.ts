import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { API_KEY_PREFIX } from '../api-keys/api-key.js';
import { ApiKeyAuthenticator } from '../api-keys/api-key-authenticator.js';
import { AuthenticationError } from './authentication.error.js';
import type { AuthenticatedRequest } from './current-identity.decorator.js';
import { Public } from './public.decorator.js';
import { TokenVerifier } from './token-verifier.js';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

interface RequestWithHeaders extends AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Global: every route needs a verified bearer token or an API key unless marked @Public(). A key comes
 * as `Authorization: Bearer pgk_…` or in `X-API-Key`; either way the caller's identity is the key's owner.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly apiKeys: ApiKeyAuthenticator,
  ) {}

  // Answers synchronously when it can (public route, remembered token or key): Nest then skips an
  // await, and this runs on every request.
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.reflector.getAllAndOverride(Public, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<RequestWithHeaders>();
    const credential = presentedCredential(request.headers);
    const isKey = credential.startsWith(API_KEY_PREFIX);
    const remembered = isKey ? this.apiKeys.remembered(credential) : this.verifier.remembered(credential);
    if (remembered) {
      request.identity = remembered;
      return true;
    }
    const verified = isKey ? this.apiKeys.authenticate(credential) : this.verifier.verify(credential);
    return verified.then((identity) => {
      request.identity = identity;
      return true;
    });
  }
}

// Only headers count: credentials in query strings end up in logs and browser history.
function presentedCredential(headers: RequestWithHeaders['headers']): string {
  const apiKey = headers['x-api-key'];
  const authorization = headers.authorization;
  if (apiKey !== undefined) {
    if (authorization !== undefined || typeof apiKey !== 'string') {
      throw new AuthenticationError('Send one credential: an Authorization header or one X-API-Key header.');
    }
    return apiKey.trim();
  }
  const match = typeof authorization === 'string' ? BEARER.exec(authorization.trim()) : null;
  if (!match) {
    throw new AuthenticationError(
      'Send an Authorization: Bearer <token> header, or your API key in X-API-Key.',
    );
  }
  return match[1];
}
