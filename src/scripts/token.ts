/**
 * `npm run -s token -- alice@example.com [--expires-in 1h]` prints a development token for the
 * configured secret, alone on stdout, so `TOKEN=$(npm run -s token -- alice@example.com)` works.
 */
import { parseArgs } from 'node:util';
import { signDevToken } from '../auth/dev-token.js';
import { loadConfig } from '../config/app-config.js';
import { normalizeEmail } from '../common/email.js';

export async function run(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'expires-in': { type: 'string' } },
  });
  if (positionals.length !== 1) throw new Error('usage: npm run -s token -- <email> [--expires-in 1h]');
  const token = await signDevToken(
    loadConfig(process.env).auth,
    normalizeEmail(positionals[0]),
    values['expires-in'],
  );
  process.stdout.write(`${token}\n`);
}
