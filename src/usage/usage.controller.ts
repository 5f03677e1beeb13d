import { Controller, Get } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CurrentIdentity, type Identity } from '../auth/current-identity.decorator.js';
import type { AppConfig } from '../config/app-config.js';
import { EntitlementsService } from '../entitlements/entitlements.service.js';
import { PackageCatalog } from '../entitlements/package-catalog.js';
import type { PackageLimits } from './package-limits.js';
import { Unlimited } from './unlimited.decorator.js';
import { UsageLimiter } from './usage-limiter.js';

/** `GET /users/me/usage`: the caller's counts in the current windows against their package's limits. */
@Controller('users/me/usage')
export class UsageController {
  private readonly limits: PackageLimits;

  constructor(
    private readonly limiter: UsageLimiter,
    private readonly entitlements: EntitlementsService,
    private readonly catalog: PackageCatalog,
    config: ConfigService<AppConfig, true>,
  ) {
    this.limits = config.get('packageLimits', { infer: true });
  }

  // Unlimited, so a caller at a limit can still see when it resets.
  @Unlimited()
  @Get()
  async usage(@CurrentIdentity() caller: Identity) {
    const { packageId } = await this.entitlements.entitlementOf(caller.email);
    const now = Date.now();
    const limits = await Promise.all(
      (this.limits.get(packageId) ?? []).map(async (limit) => {
        const { used, remaining, resetAt } = await this.limiter.used(caller.email, limit, now);
        return {
          policy: limit.policy,
          limit: limit.quota,
          used,
          remaining: Math.max(0, Math.min(remaining, limit.quota - used)),
          resetsAt: new Date(resetAt).toISOString(),
        };
      }),
    );
    return { package: this.catalog.nameOf(packageId), unlimited: limits.length === 0, limits };
  }
}
