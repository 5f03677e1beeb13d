import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DevSecret } from '../config/app-config.js';

/**
 * The HS256 key of development mode. Without AUTH_DEV_SECRET a random secret is made on first use
 * and kept in a file (mode 0600), so the server and `npm run token` agree and no well-known secret
 * ever signs tokens.
 */
export function resolveDevSecret(secret: DevSecret): Uint8Array {
  if ('value' in secret) return new TextEncoder().encode(secret.value);
  try {
    return new TextEncoder().encode(readFileSync(secret.file, 'utf8').trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(secret.file), { recursive: true });
  const generated = randomBytes(32).toString('base64url');
  try {
    writeFileSync(secret.file, `${generated}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return resolveDevSecret(secret);
  }
  return new TextEncoder().encode(generated);
}
