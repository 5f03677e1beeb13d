import { existsSync } from 'node:fs';

/**
 * Runs an operator script as the server is configured: .env (variables already in the environment
 * win), then `work`. A failure prints one line prefixed with `name` and exits 1.
 */
export async function runScript(name: string, work: () => Promise<void>): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    await work();
  } catch (error) {
    console.error(`${name}: ${(error as Error).message}`);
    process.exit(1);
  }
}
