import { Module } from '@nestjs/common';
import { EntitlementsModule } from '../entitlements/entitlements.module.js';
import { PaymentsModule } from '../payments/payments.module.js';
import { AdminPaymentsController } from './admin-payments.controller.js';
import { AdminUsersController } from './admin-users.controller.js';
import { StaffGuard } from './staff.guard.js';

/** Staff routes: manual grants and revocations, the audit history, unapplied payment events (ADMIN_EMAILS only). */
@Module({
  imports: [PaymentsModule, EntitlementsModule],
  controllers: [AdminUsersController, AdminPaymentsController],
  providers: [StaffGuard],
})
export class AdminModule {}
