import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { AuthFailureLimiter } from './auth-failures.js';
import { AuthGuard } from './auth.guard.js';
import { TokenVerifier } from './token-verifier.js';

/** Who is calling: a global guard that verifies bearer tokens (or API keys) on every non-public route. */
@Module({
  imports: [ApiKeysModule],
  providers: [TokenVerifier, AuthFailureLimiter, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenVerifier],
})
export class AuthModule {}
