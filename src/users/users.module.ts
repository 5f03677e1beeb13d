import { Module } from '@nestjs/common';
import { DynamoModule } from '../dynamo/dynamo.module.js';
import { DynamoUsersRepository } from './dynamo-users.repository.js';
import { UserPackageChanges } from './user-package-changes.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [DynamoModule],
  controllers: [UsersController],
  providers: [
    UsersService,
    UserPackageChanges,
    { provide: UsersRepository, useClass: DynamoUsersRepository },
  ],
  exports: [UsersRepository, UserPackageChanges],
})
export class UsersModule {}
