import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { API_KEY_PREFIX } from '../api-keys/api-key.js';
import { ApiKeyAuthenticator } from '../api-keys/api-key-authenticator.js';
import { AuthFailureLimiter, TooManyAuthFailuresError } from './auth-failures.js';
import { Metrics } from '../metrics/metrics.js';
import { AuthenticationError } from './authentication.error.js';
import type { AuthenticatedRequest, Identity } from './current-identity.decorator.js';
import { Public } from './public.decorator.js';
import { TokenVerifier } from './token-verifier.js';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

interface RequestWithHeaders extends AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The client's address as Fastify derives it, TRUST_PROXY applied. */
  ip: string;
}

/**
 * Global: every route needs a verified bearer token or an API key unless marked @Public(). A key comes
 * as `Authorization: Bearer pgk_…` or in `X-API-Key`; either way the caller's identity is the key's
 * owner. Refusals (an unknown or revoked key included) are counted per client address
 * (AUTH_FAILURE_LIMIT); past the limit they are answered 429 instead of 401. A valid credential passes
 * whatever its address's count: the limit is on failures, and an office or mobile NAT shares one
 * address between a misbehaving client and good ones.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly apiKeys: ApiKeyAuthenticator,
    private readonly failures: AuthFailureLimiter,
    private readonly metrics: Metrics,
  ) {}

  // Answers synchronously when it can (public route, remembered token or key): Nest then skips an
  // await, and this runs on every request. Only a refusal touches the failure counts.
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.reflector.getAllAndOverride(Public, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<RequestWithHeaders>();
    let remembered: Identity | undefined;
    let credential: string;
    let isKey: boolean;
    try {
      credential = presentedCredential(request.headers);
      isKey = credential.startsWith(API_KEY_PREFIX);
      remembered = isKey ? this.apiKeys.remembered(credential) : this.verifier.remembered(credential);
    } catch (error) {
      throw this.refusal(request, error);
    }
    if (!isKey) this.metrics.cacheLookedUp('token', remembered !== undefined);
    if (remembered) {
      request.identity = remembered;
      return true;
    }
    const verified = isKey ? this.apiKeys.authenticate(credential) : this.verifier.verify(credential);
    return verified.then(
      (identity) => {
        request.identity = identity;
        return true;
      },
      (error: unknown) => {
        throw this.refusal(request, error);
      },
    );
  }

  /** The error to answer with: a refused credential counts against its address; other errors pass through. */
  private refusal(request: RequestWithHeaders, error: unknown): unknown {
    if (!(error instanceof AuthenticationError)) return error;
    const overLimit = this.failures.recordFailure(request.ip);
    return overLimit ? new TooManyAuthFailuresError(overLimit) : error;
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
