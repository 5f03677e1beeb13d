import { Module } from '@nestjs/common';
import { DynamoModule } from '../dynamo/dynamo.module.js';
import { DynamoUsersRepository } from './dynamo-users.repository.js';
import { UserPackageChanges } from './user-package-changes.js';
import { UsersRepository } from './users.repository.js';

/** Where users live and how package changes are announced; imports no other feature. */
@Module({
  imports: [DynamoModule],
  providers: [UserPackageChanges, { provide: UsersRepository, useClass: DynamoUsersRepository }],
  exports: [UsersRepository, UserPackageChanges],
})
export class UsersModule {}
