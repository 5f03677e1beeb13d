import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import type { AppConfig } from '../config/app-config.js';
import { UsersModule } from '../users/users.module.js';
import { Entitlements } from './entitlements.js';
import { EntitlementsService } from './entitlements.service.js';
import { PackageCatalog } from './package-catalog.js';
import { PaymentGuard } from './payment.guard.js';
import { RouteRequirementsCheck } from './route-requirements.check.js';

/**
 * The package catalog, @RequiresPackage and the global PaymentGuard (registered after AuthGuard).
 * Global so that an app's own modules can inject PackageCatalog and Entitlements without importing
 * packgate's internals.
 */
@Global()
@Module({
  imports: [UsersModule, DiscoveryModule],
  providers: [
    {
      provide: PackageCatalog,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => new PackageCatalog(config.get('packages')),
    },
    EntitlementsService,
    Entitlements,
    RouteRequirementsCheck,
    { provide: APP_GUARD, useClass: PaymentGuard },
  ],
  exports: [PackageCatalog, EntitlementsService, Entitlements],
})
export class EntitlementsModule {}
