import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Email } from '../common/email.js';

/** The caller of a package-guarded route, as PaymentGuard found it. */
export interface CurrentUserInfo {
  email: Email;
  packageId: number;
  /** The package's name in the catalog ("none" for 0). */
  package: string;
}

export interface EntitledRequest {
  currentUser?: CurrentUserInfo;
}

/** The caller and their package on a route with @RequiresPackage: no second read of the user. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): CurrentUserInfo => {
    const user = context.switchToHttp().getRequest<EntitledRequest>().currentUser;
    if (!user) throw new Error('@CurrentUser() needs @RequiresPackage() on the route or its controller');
    return user;
  },
);
