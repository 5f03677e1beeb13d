import { createRemoteJWKSet, errors, type JWTVerifyGetKey } from 'jose';

/** The identity provider's keys could not be fetched: not the caller's fault, so not a 401. */
export class KeySourceUnavailableError extends Error {
  override name = 'KeySourceUnavailableError';
}

const FETCH_TIMEOUT_MS = 5_000;

export interface RemoteKeysOptions {
  issuer: string;
  /** Skips discovery when set. */
  jwksUrl?: string;
  cooldownMs: number;
  /** How long a fetched key set counts as fresh: how long a retired key keeps working. */
  cacheMaxAgeMs: number;
}

/**
 * Keys of an OIDC provider: from the JWKS URL, or from the issuer's discovery document. jose refetches
 * the set when a token names an unknown key id (rotation), at most once per cooldown.
 */
export function remoteKeys(options: RemoteKeysOptions): JWTVerifyGetKey {
  let keys: Promise<JWTVerifyGetKey> | null = null;
  const load = async () =>
    createRemoteJWKSet(new URL(options.jwksUrl ?? (await discoverJwksUrl(options.issuer))), {
      cooldownDuration: options.cooldownMs,
      cacheMaxAge: options.cacheMaxAgeMs,
      timeoutDuration: FETCH_TIMEOUT_MS,
    });
  return async (header, token) => {
    keys ??= load().catch((error) => {
      keys = null; // try discovery again on the next request
      throw error;
    });
    try {
      return await (
        await keys
      )(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
        throw error;
      throw new KeySourceUnavailableError('The identity provider keys could not be fetched.', {
        cause: error,
      });
    }
  };
}

async function discoverJwksUrl(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (document.issuer !== issuer)
    throw new Error(`${url} names issuer ${String(document.issuer)}, not ${issuer}`);
  if (typeof document.jwks_uri !== 'string') throw new Error(`${url} has no jwks_uri`);
  return document.jwks_uri;
}
