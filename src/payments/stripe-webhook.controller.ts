import { Controller, Headers, HttpCode, Post, Req, type RawBodyRequest } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { LedgerService, type EventOutcome } from './ledger.service.js';
import { WebhookVerifier } from './webhook-verifier.js';

/** Stripe's callbacks: verified on the raw bytes here, applied by the ledger. */
@Public()
@Controller('payments/stripe')
export class StripeWebhookController {
  constructor(
    private readonly verifier: WebhookVerifier,
    private readonly ledger: LedgerService,
  ) {}

  /** 200 once applied (or already applied, or not ours to act on); 400 bad signature; 5xx: Stripe retries. */
  @Post('webhook')
  @HttpCode(200)
  async receive(
    @Req() request: RawBodyRequest<FastifyRequest>,
    @Headers('stripe-signature') signature: string | undefined,
  ): Promise<{ received: true; outcome: EventOutcome }> {
    const event = this.verifier.verify(request.rawBody, signature);
    return { received: true, outcome: await this.ledger.applyStripeEvent(event) };
  }
}
