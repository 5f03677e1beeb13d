import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DomainError } from '../../common/domain-error.js';
import type { AppConfig } from '../../config/app-config.js';
import { loadStripeSdk } from '../stripe/stripe-sdk.js';
import { webhookSecrets } from './webhook-secrets.js';

export class InvalidWebhookSignatureError extends DomainError {
  readonly code = 'PAYMENTS.INVALID_SIGNATURE';
}

export class WebhookNotConfiguredError extends DomainError {
  readonly code = 'PAYMENTS.NOT_CONFIGURED';
}

// Stripe's own default: a signature older than this is refused, so a captured delivery cannot be replayed.
const TOLERANCE_S = 300;

/**
 * Checks Stripe-Signature on the raw bytes with the stripe SDK (loaded by the first delivery). Several
 * secrets may be configured during a rotation; any one of them, matching any v1 signature of the
 * header, is enough.
 */
@Injectable()
export class WebhookVerifier {
  private readonly secrets: string[];

  constructor(config: ConfigService<AppConfig, true>) {
    this.secrets = webhookSecrets(config.get('payments', { infer: true }).webhookSecrets);
  }

  /** The parsed body once its signature checks out; what it contains is checked by parseStripeEvent. */
  async verify(rawBody: Buffer | undefined, signature: string | string[] | undefined): Promise<unknown> {
    if (this.secrets.length === 0) {
      throw new WebhookNotConfiguredError(
        'Stripe webhooks are not configured here: set STRIPE_WEBHOOK_SECRET.',
      );
    }
    if (!rawBody || typeof signature !== 'string' || signature.length === 0) {
      throw new InvalidWebhookSignatureError(
        'A Stripe webhook needs a JSON body and a Stripe-Signature header.',
      );
    }
    // The stripe SDK refuses only timestamps too far in the past; one dated ahead would stay replayable
    // until that date, so it is refused the same way.
    if (signedAt(signature) > Date.now() / 1000 + TOLERANCE_S) {
      throw new InvalidWebhookSignatureError('The Stripe-Signature timestamp is in the future.');
    }
    const { webhooks } = await loadStripeSdk();
    for (const secret of this.secrets) {
      try {
        return webhooks.constructEvent(rawBody, signature, secret, TOLERANCE_S);
      } catch {
        // try the next secret
      }
    }
    throw new InvalidWebhookSignatureError(
      'The Stripe-Signature header does not match this body (or is too old).',
    );
  }
}

/**
 * The `t=` of a Stripe-Signature header in seconds, read exactly as the stripe SDK reads it (the last
 * `t=` wins, parseInt), so the time checked here is the time the SDK verifies the signature over.
 */
function signedAt(header: string): number {
  let timestamp = Number.NaN;
  for (const item of header.split(',')) {
    const [key, value] = item.split('=');
    if (key === 't') timestamp = parseInt(value, 10);
  }
  return timestamp;
}
