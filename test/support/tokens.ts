import { SignJWT, type JWTPayload } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../src/config/app-config.js';

export const TEST_DEV_SECRET = 'test-secret-of-at-least-32-characters-0123456789';

/** A dev-mode (HS256) token for `email`, valid for an hour unless `claims` say otherwise. */
export async function devToken(
  email: string,
  claims: JWTPayload = {},
  secret = TEST_DEV_SECRET,
): Promise<string> {
  return new SignJWT({ email, email_verified: true, ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A unique address per call, so tests never share users. */
export const uniqueEmail = (label = 'user') =>
  `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
