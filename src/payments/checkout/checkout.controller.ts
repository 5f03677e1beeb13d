import { Controller, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { CurrentIdentity, type Identity } from '../../auth/current-identity.decorator.js';
import { packageRefSchema } from '../../common/package-ref.js';
import { ValidBody } from '../../common/parse-body.js';
import { CheckoutService, type CheckoutSession } from './checkout.service.js';

const checkoutBody = z.strictObject({
  package: packageRefSchema,
});
type CheckoutBody = z.infer<typeof checkoutBody>;

@Controller('payments')
export class CheckoutController {
  constructor(private readonly checkout: CheckoutService) {}

  /** `{ id, url }`: send the buyer to `url`. 201 for a new session, 200 for the caller's open one. */
  @Post('checkout')
  async start(
    @CurrentIdentity() identity: Identity,
    @ValidBody(checkoutBody, '{ "package": "<name or id>" }') { package: pkg }: CheckoutBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CheckoutSession> {
    const { session, created } = await this.checkout.start(identity.email, pkg);
    reply.status(created ? 201 : 200);
    return session;
  }
}
