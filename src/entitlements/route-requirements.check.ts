import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PackageCatalog } from './package-catalog.js';
import { RequiresPackage } from './requires-package.decorator.js';

/** Thrown at start-up when a route asks for a package PACKAGES does not define. */
export class UnknownPackageRequirementError extends Error {
  override name = 'UnknownPackageRequirementError';
}

/** Refuses start-up when any @RequiresPackage names a package missing from the catalog. */
@Injectable()
export class RouteRequirementsCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly catalog: PackageCatalog,
  ) {}

  onModuleInit(): void {
    const problems: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const check = (where: string, target: object) => {
        const requirement = this.reflector.get(RequiresPackage, target as never);
        if (requirement && !this.catalog.resolve(requirement.ref)) {
          problems.push(`${where} requires package ${JSON.stringify(requirement.ref)}`);
        }
      };
      check(controller.name, controller);
      for (const method of this.scanner.getAllMethodNames(controller.prototype)) {
        check(`${controller.name}.${method}`, (controller.prototype as Record<string, object>)[method]);
      }
    }
    if (problems.length > 0) {
      const known = this.catalog.paid.map((pkg) => `${pkg.id}:${pkg.name}`).join(', ') || 'none';
      throw new UnknownPackageRequirementError(
        `${problems.join('; ')} — not in PACKAGES (known: ${known}). Fix the decorator or PACKAGES.`,
      );
    }
  }
}
