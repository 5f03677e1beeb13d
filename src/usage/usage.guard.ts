import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/current-identity.decorator.js';
import type { AppConfig } from '../config/app-config.js';
import type { Email } from '../common/email.js';
import type { EntitledRequest } from '../entitlements/current-user.decorator.js';
import { EntitlementsService } from '../entitlements/entitlements.service.js';
import { PackageCatalog } from '../entitlements/package-catalog.js';
import { rateLimitHeaders, rateLimitMember } from '../http/rate-limit-headers.js';
import type { PackageLimits } from './package-limits.js';
import { Unlimited } from './unlimited.decorator.js';
import { UsageLimitExceededError } from './usage-limit-exceeded.error.js';
import { windowAt, windowSeconds, type UsageLimit } from './usage-limit.js';
import { UsageLimiter, type LimitState, type UsageDecision } from './usage-limiter.js';

/**
 * Global, after PaymentGuard: counts every authenticated request against the limits of the caller's
 * package (PACKAGE_LIMITS), all of a user's tokens and keys together. Every answer carries the
 * RateLimit fields; over a limit, 429 USAGE.LIMIT_EXCEEDED with Retry-After.
 */
@Injectable()
export class UsageGuard implements CanActivate {
  private readonly limits: PackageLimits;
  /** RateLimit-Policy by package, for the month it was built in. */
  private readonly policyFields = new Map<number, { value: string; from: number; until: number }>();

  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: UsageLimiter,
    private readonly entitlements: EntitlementsService,
    private readonly catalog: PackageCatalog,
    config: ConfigService<AppConfig, true>,
  ) {
    this.limits = config.get('packageLimits', { infer: true });
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.limits.size === 0) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & EntitledRequest>();
    const email = request.identity?.email;
    if (email === undefined) return true; // a public route
    const packageId =
      request.currentUser?.packageId ?? this.entitlements.cachedEntitlementOf(email)?.packageId;
    // A package without limits (often the top one) is let through before anything else is looked up.
    if (packageId !== undefined && !this.limits.has(packageId)) return true;
    if (this.reflector.getAllAndOverride(Unlimited, [context.getHandler(), context.getClass()])) return true;
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    if (packageId !== undefined) return this.limit(reply, email, packageId);
    return this.packageOf(email).then((id) => this.limit(reply, email, id));
  }

  private limit(reply: FastifyReply, email: Email, packageId: number): boolean | Promise<boolean> {
    const limits = this.limits.get(packageId);
    if (!limits) return true;
    const now = Date.now();
    const decision = this.limiter.take(email, limits, now);
    if (decision instanceof Promise)
      return decision.then((settled) => this.answer(reply, packageId, limits, settled, now));
    return this.answer(reply, packageId, limits, decision, now);
  }

  private answer(
    reply: FastifyReply,
    packageId: number,
    limits: readonly UsageLimit[],
    decision: UsageDecision,
    now: number,
  ): true {
    reply.header('RateLimit-Policy', this.policyField(packageId, limits, now));
    let field = '';
    for (const { limit, remaining, resetAt } of decision.states) {
      field += `${field === '' ? '' : ', '}${rateLimitMember(limit.policy, remaining, (resetAt - now) / 1000)}`;
    }
    reply.header('RateLimit', field);
    if (decision.allowed) return true;
    const retryAfterS = Math.max(1, Math.ceil((decision.exceeded.resetAt - now) / 1000));
    reply.header('Retry-After', String(retryAfterS));
    const { policy, quota } = decision.exceeded.limit;
    throw new UsageLimitExceededError(
      policy,
      quota,
      retryAfterS,
      this.upgradeFor(packageId, decision.exceeded),
    );
  }

  /**
   * A package's RateLimit-Policy changes only when a month does (`w` of a monthly limit is that month's
   * length): built once per package and month, not per request.
   */
  private policyField(packageId: number, limits: readonly UsageLimit[], now: number): string {
    const cached = this.policyFields.get(packageId);
    if (cached && now >= cached.from && now < cached.until) return cached.value;
    const month = windowAt({ kind: 'month' }, now);
    const value = rateLimitHeaders(
      limits.map((limit) => ({
        policy: limit.policy,
        quota: limit.quota,
        windowS: windowSeconds(limit.window, now),
        remaining: 0,
        resetS: 0,
      })),
    )['RateLimit-Policy'];
    this.policyFields.set(packageId, { value, from: month.start, until: month.end });
    return value;
  }

  /** The lowest package above the caller's whose limit of this kind is higher (or absent). */
  private upgradeFor(packageId: number, exceeded: LimitState): string | null {
    for (const pkg of this.catalog.paid) {
      if (pkg.id <= packageId) continue;
      const same = this.limits
        .get(pkg.id)
        ?.find((limit: UsageLimit) => limit.policy === exceeded.limit.policy);
      if (!same || same.quota > exceeded.limit.quota) return pkg.name;
    }
    return null;
  }

  // A caller whose package cannot be read is limited as package 0: the route itself did not ask for a
  // package (PaymentGuard answers 503 on those that do), so it stays available, within the lowest limits.
  private async packageOf(email: Email): Promise<number> {
    try {
      return (await this.entitlements.entitlementOf(email)).packageId;
    } catch {
      return 0;
    }
  }
}
