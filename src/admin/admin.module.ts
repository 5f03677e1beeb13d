import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { EntitlementsModule } from '../entitlements/entitlements.module.js';
import { PaymentsModule } from '../payments/payments.module.js';
import { AdminApiKeysController } from './admin-api-keys.controller.js';
import { AdminPaymentsController } from './admin-payments.controller.js';
import { AdminUsersController } from './admin-users.controller.js';
import { StaffGuard } from './staff.guard.js';

/**
 * Staff routes: manual grants and revocations, the audit history, unapplied payment events, users' API
 * keys (ADMIN_EMAILS only, with a bearer token: never an API key).
 */
@Module({
  imports: [PaymentsModule, EntitlementsModule, ApiKeysModule],
  controllers: [AdminUsersController, AdminPaymentsController, AdminApiKeysController],
  providers: [StaffGuard],
})
export class AdminModule {}
