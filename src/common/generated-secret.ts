import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A development secret kept in `file` (mode 0600), generated on first use as `prefix` + 32 random
 * bytes, so every process of the project (server and scripts) agrees on it and none is well known.
 */
export function readOrCreateSecret(file: string, prefix = ''): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(file), { recursive: true });
  const generated = `${prefix}${randomBytes(32).toString('base64url')}`;
  try {
    writeFileSync(file, `${generated}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readOrCreateSecret(file, prefix);
  }
  return generated;
}
