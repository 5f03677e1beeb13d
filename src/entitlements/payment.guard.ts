import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticationError } from '../auth/authentication.error.js';
import type { AuthenticatedRequest } from '../auth/current-identity.decorator.js';
import { DependencyUnavailableError } from '../common/domain-error.js';
import type { Email } from '../common/email.js';
import { Metrics } from '../metrics/metrics.js';
import type { EntitledRequest } from './current-user.decorator.js';
import type { Entitlement } from './entitlement.js';
import { EntitlementsService } from './entitlements.service.js';
import { PackageCatalog, type Package } from './package-catalog.js';
import { PackageRequiredError } from './package-required.error.js';
import { RequiresPackage } from './requires-package.decorator.js';

type GuardedRequest = AuthenticatedRequest & EntitledRequest;

/**
 * Global, after AuthGuard: lets a caller through a @RequiresPackage route only with a package at
 * least as high. Fails closed: when the package cannot be read, the answer is 503, never a pass.
 */
@Injectable()
export class PaymentGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly catalog: PackageCatalog,
    private readonly entitlements: EntitlementsService,
    private readonly metrics: Metrics,
  ) {}

  // Synchronous on a cache hit: this runs on every guarded request.
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const requirement = this.reflector.getAllAndOverride(RequiresPackage, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!requirement) return true;
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    if (!request.identity) throw new AuthenticationError('Send an Authorization: Bearer <token> header.');
    // Checked at start-up by RouteRequirementsCheck, so this always resolves.
    const required = this.catalog.resolve(requirement.ref)!;
    const { email } = request.identity;
    const cached = this.entitlements.cachedEntitlementOf(email);
    this.metrics.cacheLookedUp('entitlement', cached !== undefined);
    if (cached !== undefined) return this.admit(request, email, cached, required);
    return this.readEntitlement(email).then((found) => this.admit(request, email, found, required));
  }

  private admit(request: GuardedRequest, email: Email, found: Entitlement, required: Package): true {
    const { packageId } = found;
    const current = this.catalog.nameOf(packageId);
    if (packageId < required.id) {
      this.metrics.guardDecided('payment_required');
      throw new PackageRequiredError(required.name, current, found.lapse);
    }
    this.metrics.guardDecided('allowed');
    request.currentUser = { email, packageId, package: current };
    return true;
  }

  private async readEntitlement(email: Email): Promise<Entitlement> {
    try {
      return await this.entitlements.entitlementOf(email);
    } catch (error) {
      this.metrics.guardDecided('unavailable');
      if (error instanceof DependencyUnavailableError) throw error;
      const message = 'Your package cannot be checked right now; try again shortly.';
      throw new DependencyUnavailableError(message, {}, { cause: error });
    }
  }
}
