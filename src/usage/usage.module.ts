import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DynamoModule } from '../dynamo/dynamo.module.js';
import { EntitlementsModule } from '../entitlements/entitlements.module.js';
import { DynamoUsageCounters } from './dynamo-usage-counters.js';
import { UsageController } from './usage.controller.js';
import { UsageCounters } from './usage-counters.js';
import { UsageGuard } from './usage.guard.js';
import { UsageLimiter } from './usage-limiter.js';

/** Per-package request limits (PACKAGE_LIMITS): the global UsageGuard, after PaymentGuard, and /users/me/usage. */
@Module({
  imports: [DynamoModule, EntitlementsModule],
  controllers: [UsageController],
  providers: [
    { provide: UsageCounters, useClass: DynamoUsageCounters },
    UsageLimiter,
    { provide: APP_GUARD, useClass: UsageGuard },
  ],
  exports: [UsageLimiter],
})
export class UsageModule {}
