import { Module } from '@nestjs/common';
import { EntitlementsModule } from '../entitlements/entitlements.module.js';
import { UsersController } from './users.controller.js';
import { UsersModule } from './users.module.js';
import { UsersService } from './users.service.js';

/**
 * `/users/me`. Apart from UsersModule because it names packages through the catalog, and
 * EntitlementsModule (which owns the catalog) imports UsersModule: this way the graph has no cycle.
 */
@Module({
  imports: [UsersModule, EntitlementsModule],
  controllers: [UsersController],
  providers: [UsersService],
})
export class UsersApiModule {}
