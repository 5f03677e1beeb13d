import { SignJWT } from 'jose';
import type { AuthConfig } from '../config/app-config.js';
import type { Email } from '../common/email.js';
import { resolveDevSecret } from './dev-secret.js';

/** A development-mode token for `email`, as `npm run token` and the testing kit mint it. */
export async function signDevToken(auth: AuthConfig, email: Email, expiresIn = '1h'): Promise<string> {
  if (auth.mode !== 'dev-secret') {
    throw new Error(
      'development tokens exist only in dev-secret mode; in OIDC mode your identity provider issues them',
    );
  }
  return new SignJWT({ email, email_verified: true })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(email)
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(resolveDevSecret(auth.secret));
}
