import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config.js';
import { LocalStripe } from './local-stripe.js';

/** The local Stripe stand-in of development (inert elsewhere): started before the SDK client exists. */
@Module({
  providers: [
    {
      provide: LocalStripe,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) =>
        LocalStripe.open(config.get('payments', { infer: true }), config.get('packages', { infer: true })),
    },
  ],
  exports: [LocalStripe],
})
export class LocalStripeModule {}
