import { Controller, Get } from '@nestjs/common';
import { CurrentIdentity, type Identity } from '../auth/current-identity.decorator.js';
import { CurrentUser, type CurrentUserInfo } from '../entitlements/current-user.decorator.js';
import { RequiresPackage } from '../entitlements/requires-package.decorator.js';

/** The living example of packgate's guard: one route per tier. */
@Controller('content')
export class ContentController {
  /** Any authenticated caller. */
  @Get('free')
  free(@CurrentIdentity() identity: Identity) {
    return { content: 'free', email: identity.email };
  }

  @Get('basic')
  @RequiresPackage('basic')
  basic(@CurrentUser() user: CurrentUserInfo) {
    return { content: 'basic', email: user.email, package: user.package };
  }
}

/** Class-level requirement: every route here needs pro. */
@Controller('content/pro')
@RequiresPackage('pro')
export class ProContentController {
  @Get()
  pro(@CurrentUser() user: CurrentUserInfo) {
    return { content: 'pro', email: user.email, package: user.package };
  }
}
