import { Controller, Headers, HttpCode, Post, Req, type RawBodyRequest } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../auth/public.decorator.js';
import { InvalidRequestError } from '../../common/domain-error.js';
import { openApiSchema } from '../../common/openapi-schema.js';
import { READS_OWN_MEDIA_TYPE } from '../../http/request-rules.js';
import { OpenApiOperation } from '../../openapi/openapi-operation.decorator.js';
import { parseStripeEvent, stripeEventEnvelope } from '../events/stripe-event.envelope.js';
import { StripeEventProcessor, type ProcessOutcome } from '../events/stripe-event.processor.js';
import { TooManyInvalidSignaturesError, WebhookFailureLimiter } from './webhook-failures.js';
import { InvalidWebhookSignatureError, WebhookVerifier } from './webhook-verifier.js';

/** Stripe's callbacks: verified on the raw bytes here, applied by the ledger. */
@Public()
@Controller('payments/stripe')
export class StripeWebhookController {
  constructor(
    private readonly verifier: WebhookVerifier,
    private readonly processor: StripeEventProcessor,
    private readonly failures: WebhookFailureLimiter,
  ) {}

  /**
   * 200 once applied (or already applied, not ours to act on, or parked for staff); 400 bad signature,
   * not JSON or not a Stripe event; 429 past WEBHOOK_FAILURE_LIMIT bad signatures; 5xx: Stripe retries.
   */
  @Post('webhook')
  @HttpCode(200)
  // Not the global 415: a body that claims another type is refused below, after the raw bytes are kept.
  @RouteConfig({ [READS_OWN_MEDIA_TYPE]: true })
  @OpenApiOperation({
    requestBody: {
      required: true,
      description: 'A Stripe event, as Stripe signs and sends it (read only once the signature checks out).',
      content: { 'application/json': { schema: openApiSchema(stripeEventEnvelope) } },
    },
    parameters: [
      {
        name: 'stripe-signature',
        in: 'header',
        required: true,
        description: "Stripe's signature of the raw body.",
        schema: { type: 'string' },
      },
    ],
    responses: { 400: { description: 'Bad signature, not JSON, or not a Stripe event: nothing recorded.' } },
  })
  async receive(
    @Req() request: RawBodyRequest<FastifyRequest>,
    @Headers('stripe-signature') signature: string | undefined,
  ): Promise<{ received: true; outcome: ProcessOutcome }> {
    assertJson(request.headers['content-type']);
    const event = parseStripeEvent(await this.verified(request, signature));
    const payload = request.rawBody!.toString('utf8');
    return { received: true, outcome: await this.processor.process(event, payload) };
  }

  private async verified(
    request: RawBodyRequest<FastifyRequest>,
    signature: string | undefined,
  ): Promise<unknown> {
    try {
      return await this.verifier.verify(request.rawBody, signature);
    } catch (error) {
      if (!(error instanceof InvalidWebhookSignatureError)) throw error;
      const overLimit = this.failures.recordFailure(request.ip);
      throw overLimit ? new TooManyInvalidSignaturesError(overLimit) : error;
    }
  }
}

// Stripe sends JSON only. Nest keeps the raw bytes of form bodies too, so without this a signed body
// would be applied whatever type it claimed; text/plain would be refused as a bad signature instead.
function assertJson(contentType: string | undefined): void {
  const mediaType = contentType?.split(';')[0].trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new InvalidRequestError('A Stripe webhook is sent as Content-Type: application/json.', {
      contentType: contentType ?? null,
    });
  }
}
