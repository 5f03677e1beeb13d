import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { AppConfig } from './config/app-config.js';
import { AppConfigModule } from './config/config.module.js';
import { AdminModule } from './admin/admin.module.js';
import { AuthModule } from './auth/auth.module.js';
import { HttpErrorFilter } from './common/http-error.filter.js';
import { ServedPaths } from './http/served-paths.js';
import { ContentModule } from './content/content.module.js';
import { EntitlementsModule } from './entitlements/entitlements.module.js';
import { HealthModule } from './health/health.module.js';
import type { Metrics } from './metrics/metrics.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { PagesModule } from './pages/pages.module.js';
import { PaymentsModule } from './payments/payments.module.js';
import { UsersApiModule } from './users/users-api.module.js';
import { UsageModule } from './usage/usage.module.js';
import { UsersModule } from './users/users.module.js';

@Module({})
export class AppModule {
  static forRoot(
    config: AppConfig,
    features: Array<Type | DynamicModule> = [],
    metrics?: Metrics,
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        MetricsModule.forRoot(config, metrics),
        // AuthModule, EntitlementsModule, UsageModule: their global guards run in this order.
        AuthModule,
        UsersModule,
        EntitlementsModule,
        UsageModule,
        UsersApiModule,
        PaymentsModule,
        AdminModule,
        ContentModule,
        HealthModule,
        PagesModule,
        ...features,
      ],
      providers: [ServedPaths, { provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}
