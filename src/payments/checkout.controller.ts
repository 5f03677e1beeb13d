import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { CurrentIdentity, type Identity } from '../auth/current-identity.decorator.js';
import { InvalidRequestError } from '../common/domain-error.js';
import { CheckoutService, type CheckoutSession } from './checkout.service.js';

const checkoutBody = z.strictObject({
  package: z.union([z.string().min(1).max(64), z.number().int().positive()]),
});

@Controller('payments')
export class CheckoutController {
  constructor(private readonly checkout: CheckoutService) {}

  /** 201 `{ id, url }`: send the buyer to `url`. */
  @Post('checkout')
  @HttpCode(201)
  start(@CurrentIdentity() identity: Identity, @Body() body: unknown): Promise<CheckoutSession> {
    const parsed = checkoutBody.safeParse(body);
    if (!parsed.success) {
      throw new InvalidRequestError('Send { "package": "<name or id>" } and nothing else.', {
        issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`),
      });
    }
    return this.checkout.start(identity.email, parsed.data.package);
  }
}
