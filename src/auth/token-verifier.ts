import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { AppConfig } from '../config/app-config.js';
import { DependencyUnavailableError } from '../common/domain-error.js';
import { normalizeEmail } from '../common/email.js';
import { AuthenticationError } from './authentication.error.js';
import type { Identity } from './current-identity.decorator.js';
import { resolveDevSecret } from './dev-secret.js';
import { KeySourceUnavailableError, remoteKeys } from './key-source.js';

// Provider keys are public: accepting HS* there would let anyone sign with the published key.
const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** Turns a bearer token into a verified {@link Identity}, or throws AuthenticationError. */
@Injectable()
export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly options: JWTVerifyOptions;

  constructor(config: ConfigService<AppConfig, true>) {
    const auth = config.get('auth', { infer: true });
    const devMode = auth.mode === 'dev-secret';
    this.key = devMode
      ? resolveDevSecret(auth.secret)
      : remoteKeys({ issuer: auth.issuer, jwksUrl: auth.jwksUrl, cooldownMs: auth.jwksCooldownMs });
    this.options = {
      issuer: auth.issuer,
      audience: auth.audience,
      clockTolerance: auth.clockToleranceS,
      algorithms: devMode ? ['HS256'] : ASYMMETRIC_ALGORITHMS,
      requiredClaims: ['exp'],
    };
  }

  async verify(token: string): Promise<Identity> {
    let payload: JWTPayload;
    try {
      // The overloads of jwtVerify split key and key function; both are valid here.
      payload = (await jwtVerify(token, this.key as JWTVerifyGetKey, this.options)).payload;
    } catch (error) {
      if (error instanceof KeySourceUnavailableError) {
        throw new DependencyUnavailableError('The identity provider cannot be reached; try again shortly.', {}, { cause: error });
      }
      throw new AuthenticationError('The bearer token is not valid.', {}, { cause: error });
    }
    return { email: verifiedEmail(payload) };
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
