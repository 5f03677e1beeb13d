import { readOrCreateSecret } from '../../common/generated-secret.js';
import type { PaymentsConfig } from '../../config/app-config.js';

/** The webhook signing secrets in force: configured ones, or the generated development one. */
export function webhookSecrets(configured: PaymentsConfig['webhookSecrets']): string[] {
  if (!configured) return [];
  return 'values' in configured ? configured.values : [readOrCreateSecret(configured.file, 'whsec_')];
}
