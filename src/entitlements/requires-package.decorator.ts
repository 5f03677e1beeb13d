import { Reflector } from '@nestjs/core';
import type { PackageRef } from './package-catalog.js';

/**
 * `@RequiresPackage('pro')` (or an id) on a handler or a controller; the handler's wins.
 * `@RequiresPackage()` means any paid package. Names are checked against PACKAGES at start-up.
 */
export const RequiresPackage = Reflector.createDecorator<string | number | void, { ref: PackageRef }>({
  transform: (ref) => ({ ref: ref ?? null }),
});
