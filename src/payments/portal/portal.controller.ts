import { Controller, Post } from '@nestjs/common';
import { CurrentIdentity, type Identity } from '../../auth/current-identity.decorator.js';
import { PortalService } from './portal.service.js';

@Controller('payments')
export class PortalController {
  constructor(private readonly portal: PortalService) {}

  /** 201 `{ url }`: send the user to Stripe's customer portal for their subscriptions and invoices. */
  @Post('portal')
  async open(@CurrentIdentity() identity: Identity): Promise<{ url: string }> {
    return { url: await this.portal.open(identity.email) };
  }
}
