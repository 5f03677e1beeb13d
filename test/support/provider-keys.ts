import { randomUUID } from 'node:crypto';
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';

/** An RS256 signing key of a test identity provider. */
export interface ProviderKey {
  kid: string;
  privateKey: CryptoKey;
  /** The public half as a JWKS publishes it. */
  jwk: JWK;
  /** The public half as PEM (SPKI), the bytes an algorithm-confusion attack uses as an HMAC secret. */
  spkiPem: string;
}

export async function generateProviderKey(): Promise<ProviderKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  return {
    kid,
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
    spkiPem: await exportSPKI(publicKey),
  };
}

/** An RS256 token from `key` with `claims` (iss, aud, email...), verified email, valid for an hour. */
export async function providerToken(key: ProviderKey, claims: JWTPayload): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iat: now, exp: now + 3600, email_verified: true, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .sign(key.privateKey);
}
