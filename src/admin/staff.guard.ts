import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AuthenticatedRequest } from '../auth/current-identity.decorator.js';
import { DomainError } from '../common/domain-error.js';
import type { AppConfig } from '../config/app-config.js';

export class StaffOnlyError extends DomainError {
  readonly code = 'AUTH.FORBIDDEN';
}

/** Lets through only callers whose (verified, canonical) email is in ADMIN_EMAILS. */
@Injectable()
export class StaffGuard implements CanActivate {
  private readonly staff: Set<string>;

  constructor(config: ConfigService<AppConfig, true>) {
    this.staff = new Set(config.get('adminEmails', { infer: true }));
  }

  canActivate(context: ExecutionContext): boolean {
    const email = context.switchToHttp().getRequest<AuthenticatedRequest>().identity?.email;
    if (!email || !this.staff.has(email))
      throw new StaffOnlyError('This route is for staff (ADMIN_EMAILS) only.');
    return true;
  }
}
