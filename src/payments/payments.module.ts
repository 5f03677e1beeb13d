import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config.js';
import { LocalStripe } from '../dev/local-stripe.js';
import { LocalStripeModule } from '../dev/local-stripe.module.js';
import { DynamoModule } from '../dynamo/dynamo.module.js';
import { EntitlementsModule } from '../entitlements/entitlements.module.js';
import { UsersModule } from '../users/users.module.js';
import { CatalogHistoryCheck } from './catalog-history.check.js';
import { CatalogRecordRepository } from './catalog-record.js';
import { CheckoutController } from './checkout.controller.js';
import { CheckoutService } from './checkout.service.js';
import { CustomerDirectory } from './customer-directory.js';
import { DynamoCustomerDirectory } from './dynamo-customer-directory.js';
import { DynamoCatalogRecordRepository } from './dynamo-catalog-record.repository.js';
import { DynamoLedgerRepository } from './dynamo-ledger.repository.js';
import { DynamoOpenCheckouts } from './dynamo-open-checkouts.js';
import { ExistingSubscriptions } from './existing-subscriptions.js';
import { LedgerRepository } from './ledger.js';
import { LedgerService } from './ledger.service.js';
import { OpenCheckouts } from './open-checkouts.js';
import { PortalController } from './portal.controller.js';
import { PortalService } from './portal.service.js';
import { stripeClient } from './stripe-client.factory.js';
import { StripeCustomers } from './stripe-customers.js';
import { StripeEventProcessor } from './stripe-event.processor.js';
import { StripeExistingSubscriptions } from './stripe-existing-subscriptions.js';
import { StripePriceKinds } from './stripe-price-kinds.js';
import { StripeSyncService } from './stripe-sync.service.js';
import { StripeSubscriptionSource } from './stripe-subscription-source.js';
import { SubscriptionReader } from './subscription-reader.js';
import { SubscriptionSource } from './subscription-source.js';
import { DynamoUnappliedEvents } from './dynamo-unapplied-events.js';
import { UnappliedEvents } from './unapplied-events.js';
import { StripeWebhookController } from './stripe-webhook.controller.js';
import { STRIPE } from './stripe.tokens.js';
import { WebhookFailureLimiter } from './webhook-failures.js';
import { WebhookVerifier } from './webhook-verifier.js';

/** Stripe checkout and customer portal, the webhook, the grants ledger every package change goes through, and the catalog's history. */
@Module({
  imports: [DynamoModule, UsersModule, EntitlementsModule, LocalStripeModule],
  controllers: [CheckoutController, PortalController, StripeWebhookController],
  providers: [
    {
      provide: STRIPE,
      inject: [ConfigService, LocalStripe],
      useFactory: (config: ConfigService<AppConfig, true>, local: LocalStripe) =>
        stripeClient(local.clientSettings(config.get('payments'))),
    },
    { provide: LedgerRepository, useClass: DynamoLedgerRepository },
    { provide: UnappliedEvents, useClass: DynamoUnappliedEvents },
    { provide: SubscriptionSource, useClass: StripeSubscriptionSource },
    SubscriptionReader,
    { provide: CustomerDirectory, useClass: DynamoCustomerDirectory },
    { provide: OpenCheckouts, useClass: DynamoOpenCheckouts },
    StripeCustomers,
    StripePriceKinds,
    { provide: ExistingSubscriptions, useClass: StripeExistingSubscriptions },
    { provide: CatalogRecordRepository, useClass: DynamoCatalogRecordRepository },
    CatalogHistoryCheck,
    LedgerService,
    StripeEventProcessor,
    StripeSyncService,
    CheckoutService,
    PortalService,
    WebhookVerifier,
    WebhookFailureLimiter,
  ],
  exports: [LedgerService, StripeEventProcessor, StripeSyncService, UnappliedEvents],
})
export class PaymentsModule {}
