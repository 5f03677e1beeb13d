import { SignJWT } from 'jose';
import { parseDuration } from '../common/duration.js';
import type { AuthConfig } from '../config/app-config.js';
import type { Email } from '../common/email.js';
import { resolveDevSecret } from './dev-secret.js';

/**
 * A development-mode token for `email`, as `npm run token` and the testing kit mint it, valid for
 * `expiresIn` (`90s`, `15m`, `12h`, `1d`): at most AUTH_MAX_TOKEN_AGE, which the verifier enforces.
 * Without it, an hour or AUTH_MAX_TOKEN_AGE if that is shorter.
 */
export async function signDevToken(auth: AuthConfig, email: Email, expiresIn?: string): Promise<string> {
  if (auth.mode !== 'dev-secret') {
    throw new Error(
      'development tokens exist only in dev-secret mode; in OIDC mode your identity provider issues them',
    );
  }
  if (expiresIn === undefined) return sign(auth, email, Math.min(3600, auth.maxTokenAgeS));
  const lifetimeMs = parseDuration(expiresIn);
  if (lifetimeMs === null || lifetimeMs === 0) {
    throw new Error(
      `--expires-in must be a duration such as 90s, 15m, 12h or 1d, not ${JSON.stringify(expiresIn)}`,
    );
  }
  const lifetimeS = lifetimeMs / 1000;
  if (lifetimeS > auth.maxTokenAgeS) {
    throw new Error(
      `--expires-in ${expiresIn} is longer than AUTH_MAX_TOKEN_AGE (${auth.maxTokenAgeS} s): such a token would be refused`,
    );
  }
  return sign(auth, email, lifetimeS);
}

function sign(auth: AuthConfig & { mode: 'dev-secret' }, email: Email, lifetimeS: number): Promise<string> {
  const issuedAt = Math.floor(Date.now() / 1000);
  return new SignJWT({ email, email_verified: true })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(email)
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + lifetimeS)
    .sign(resolveDevSecret(auth.secret));
}
