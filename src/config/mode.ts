import type { AppConfig } from './app-config.js';

/**
 * The start-up line that names the mode and what it implies, so a server started without
 * NODE_ENV=production is noticed at once. `standIns` is true when a development convenience is in force.
 */
export function describeMode(config: AppConfig): { standIns: boolean; line: string } {
  const standIns = [
    config.dynamo.endpoint.kind === 'local' && 'embedded DynamoDB Local',
    config.auth.mode === 'dev-secret' && 'development tokens (HS256, npm run token)',
    config.payments.webhookSecrets !== null &&
      'file' in config.payments.webhookSecrets &&
      'a generated Stripe webhook secret',
  ].filter((standIn): standIn is string => typeof standIn === 'string');
  const mode = `packgate mode: ${config.nodeEnv}`;
  if (standIns.length === 0) {
    return {
      standIns: false,
      line: `${mode} — no embedded database, no development tokens, no generated webhook secret`,
    };
  }
  return {
    standIns: true,
    line: `${mode} — ${standIns.join(', ')}; not for real users (set NODE_ENV=production)`,
  };
}
