import { readOrCreateSecret } from '../common/generated-secret.js';
import type { DevSecret } from '../config/app-config.js';

/**
 * The HS256 key of development mode: AUTH_DEV_SECRET, or a random secret made on first use and kept
 * in AUTH_DEV_SECRET_FILE, so the server and `npm run token` agree and no well-known secret signs tokens.
 */
export function resolveDevSecret(secret: DevSecret): Uint8Array {
  return new TextEncoder().encode('value' in secret ? secret.value : readOrCreateSecret(secret.file));
}
