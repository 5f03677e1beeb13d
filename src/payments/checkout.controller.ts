import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { CurrentIdentity, type Identity } from '../auth/current-identity.decorator.js';
import { parseBody } from '../common/parse-body.js';
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
    const { package: pkg } = parseBody(checkoutBody, body, '{ "package": "<name or id>" }');
    return this.checkout.start(identity.email, pkg);
  }
}
