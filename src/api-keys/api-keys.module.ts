import { Module } from '@nestjs/common';
import { DynamoModule } from '../dynamo/dynamo.module.js';
import { ApiKeyAuthenticator } from './api-key-authenticator.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { ApiKeysService } from './api-keys.service.js';
import { DynamoApiKeysRepository } from './dynamo-api-keys.repository.js';

/** API keys: issued to a user, stored as hashes, accepted by AuthGuard like a bearer token. */
@Module({
  imports: [DynamoModule],
  controllers: [ApiKeysController],
  providers: [
    { provide: ApiKeysRepository, useClass: DynamoApiKeysRepository },
    ApiKeyAuthenticator,
    ApiKeysService,
  ],
  exports: [ApiKeyAuthenticator, ApiKeysService],
})
export class ApiKeysModule {}
