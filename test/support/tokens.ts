import { SignJWT, type JWTPayload } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../src/config/app-config.js';

export const TEST_DEV_SECRET = 'test-secret-of-at-least-32-characters-0123456789';
export const TEST_WEBHOOK_SECRET = 'whsec_test_secret_for_packgate_webhooks';

/**
 * A dev-mode (HS256) token for `email`, valid for an hour. `claims` override any claim, the registered
 * ones (iss, aud, exp...) included; a claim set to `undefined` is left out of the token.
 */
export async function devToken(
  email: string,
  claims: JWTPayload = {},
  secret = TEST_DEV_SECRET,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: DEV_ISSUER,
    aud: DEV_AUDIENCE,
    iat: now,
    exp: now + 3600,
    email,
    email_verified: true,
  };
  return new SignJWT({ ...payload, ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(secret));
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A unique address per call, so tests never share users. */
export const uniqueEmail = (label = 'user') =>
  `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
