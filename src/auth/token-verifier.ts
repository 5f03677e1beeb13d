import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { LRUCache } from 'lru-cache';
import { lazyLru } from '../common/lazy-lru.js';
import { jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { AppConfig } from '../config/app-config.js';
import { DependencyUnavailableError } from '../common/domain-error.js';
import { normalizeEmail } from '../common/email.js';
import { AuthenticationError } from './authentication.error.js';
import type { Identity } from './current-identity.decorator.js';
import { resolveDevSecret } from './dev-secret.js';
import { KeySourceUnavailableError, remoteKeys } from './key-source.js';

// Provider keys are public: accepting HS* there would let anyone sign with the published key.
const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** Turns a bearer token into a verified {@link Identity}, or throws AuthenticationError. */
@Injectable()
export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly options: JWTVerifyOptions;
  /** Verified tokens by their whole text, each kept no longer than its exp nor the cache TTL. */
  private readonly verified: (() => LRUCache<string, Identity>) | null;
  private readonly verifiedTtlMs: number;
  private readonly maxTokenAgeS: number;
  private readonly clockToleranceS: number;

  constructor(config: ConfigService<AppConfig, true>) {
    const auth = config.get('auth', { infer: true });
    const devMode = auth.mode === 'dev-secret';
    this.key = devMode
      ? resolveDevSecret(auth.secret)
      : remoteKeys({
          issuer: auth.issuer,
          jwksUrl: auth.jwksUrl,
          cooldownMs: auth.jwksCooldownMs,
          cacheMaxAgeMs: auth.jwksCacheMaxAgeMs,
        });
    this.options = {
      issuer: auth.issuer,
      audience: auth.audience,
      clockTolerance: auth.clockToleranceS,
      algorithms: devMode ? ['HS256'] : ASYMMETRIC_ALGORITHMS,
      // maxTokenAge requires iat and refuses one older than the age or ahead of now (with the tolerance).
      requiredClaims: ['exp', 'iat'],
      maxTokenAge: auth.maxTokenAgeS,
    };
    this.maxTokenAgeS = auth.maxTokenAgeS;
    this.clockToleranceS = auth.clockToleranceS;
    const { maxEntries, ttlMs } = config.get('tokenCache', { infer: true });
    this.verified = maxEntries > 0 ? lazyLru({ max: maxEntries, ttl: ttlMs }) : null;
    this.verifiedTtlMs = ttlMs;
  }

  /** The identity of a token verified before and still within its exp and the cache TTL. */
  remembered(token: string): Identity | undefined {
    return this.verified?.().get(token);
  }

  async verify(token: string): Promise<Identity> {
    const remembered = this.remembered(token);
    if (remembered) return remembered;
    const { identity, expiresAt } = await this.verifySignature(token);
    const ttl = Math.min(this.verifiedTtlMs, expiresAt - Date.now());
    if (ttl > 0) this.verified?.().set(token, identity, { ttl });
    return identity;
  }

  private async verifySignature(token: string): Promise<{ identity: Identity; expiresAt: number }> {
    let payload: JWTPayload;
    try {
      // The overloads of jwtVerify split key and key function; both are valid here.
      payload = (await jwtVerify(token, this.key as JWTVerifyGetKey, this.options)).payload;
    } catch (error) {
      if (error instanceof KeySourceUnavailableError) {
        throw new DependencyUnavailableError(
          'The identity provider cannot be reached; try again shortly.',
          {},
          { cause: error },
        );
      }
      throw new AuthenticationError('The bearer token is not valid.', {}, { cause: error });
    }
    // exp and iat are required, so they are there; the cache never keeps a token past either limit.
    const exp = payload.exp ?? 0;
    const iat = payload.iat ?? 0;
    const nowS = Date.now() / 1000;
    if (exp - nowS > this.maxTokenAgeS + this.clockToleranceS) {
      throw new AuthenticationError(
        `The bearer token expires too far ahead: packgate accepts tokens valid for at most ${this.maxTokenAgeS} s (AUTH_MAX_TOKEN_AGE).`,
      );
    }
    const expiresAt = Math.min(exp, iat + this.maxTokenAgeS) * 1000;
    return { identity: { email: verifiedEmail(payload) }, expiresAt };
  }
}

function verifiedEmail(payload: JWTPayload) {
  // Some providers (older Cognito pools) send the claim as the string "true".
  if (payload.email_verified !== true && payload.email_verified !== 'true') {
    throw new AuthenticationError('The token does not carry a verified email (email_verified must be true).');
  }
  try {
    return normalizeEmail(payload.email);
  } catch (error) {
    throw new AuthenticationError('The token does not carry a valid email claim.', {}, { cause: error });
  }
}
