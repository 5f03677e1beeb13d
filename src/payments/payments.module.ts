import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config.js';
import { LocalStripe } from '../dev/local-stripe.js';
import { LocalStripeModule } from '../dev/local-stripe.module.js';
import { DynamoModule } from '../dynamo/dynamo.module.js';
import { EntitlementsModule } from '../entitlements/entitlements.module.js';
import { UsersModule } from '../users/users.module.js';
import { CatalogHistoryCheck } from './catalog/catalog-history.check.js';
import { CatalogRecordRepository } from './catalog/catalog-record.js';
import { DynamoCatalogRecordRepository } from './catalog/dynamo-catalog-record.repository.js';
import { CheckoutController } from './checkout/checkout.controller.js';
import { CheckoutService } from './checkout/checkout.service.js';
import { DynamoOpenCheckouts } from './checkout/dynamo-open-checkouts.js';
import { OpenCheckouts } from './checkout/open-checkouts.js';
import { StripePriceKinds } from './checkout/stripe-price-kinds.js';
import { CustomerDirectory } from './customers/customer-directory.js';
import { DynamoCustomerDirectory } from './customers/dynamo-customer-directory.js';
import { StripeCustomers } from './customers/stripe-customers.js';
import { StripeEventProcessor } from './events/stripe-event.processor.js';
import { StripeSyncService } from './events/stripe-sync.service.js';
import { DynamoLedgerRepository } from './ledger/dynamo-ledger.repository.js';
import { LedgerRepository } from './ledger/ledger.js';
import { LedgerService } from './ledger/ledger.service.js';
import { PortalController } from './portal/portal.controller.js';
import { PortalService } from './portal/portal.service.js';
import { stripeClient } from './stripe/stripe-client.factory.js';
import { STRIPE } from './stripe/stripe.tokens.js';
import { ExistingSubscriptions } from './subscriptions/existing-subscriptions.js';
import { StripeExistingSubscriptions } from './subscriptions/stripe-existing-subscriptions.js';
import { StripeSubscriptionSource } from './subscriptions/stripe-subscription-source.js';
import { SubscriptionReader } from './subscriptions/subscription-reader.js';
import { SubscriptionSource } from './subscriptions/subscription-source.js';
import { DynamoUnappliedEvents } from './unapplied/dynamo-unapplied-events.js';
import { UnappliedEvents } from './unapplied/unapplied-events.js';
import { StripeWebhookController } from './webhook/stripe-webhook.controller.js';
import { WebhookFailureLimiter } from './webhook/webhook-failures.js';
import { WebhookVerifier } from './webhook/webhook-verifier.js';

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
