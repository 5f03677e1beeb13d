import { Body, Controller, Get, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CurrentIdentity, type Identity } from '../auth/current-identity.decorator.js';
import { InvalidRequestError } from '../common/domain-error.js';
import { PackageCatalog } from '../entitlements/package-catalog.js';
import type { User } from './user.js';
import { subscriptionView, type SubscriptionView } from './user-subscription.js';
import { UsersService } from './users.service.js';

/** A user as the API shows them: the subscription's package by name, its Stripe id left out. */
export interface UserAnswer extends Omit<User, 'subscription'> {
  subscription: (Omit<SubscriptionView, 'packageId'> & { package: string }) | null;
}

@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly catalog: PackageCatalog,
  ) {}

  /** 201 with the new user, or 200 with the existing one; the email comes from the token alone. */
  @Post('me')
  async register(
    @CurrentIdentity() identity: Identity,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserAnswer> {
    assertNoBody(body);
    const { user, created } = await this.users.register(identity.email);
    reply.status(created ? 201 : 200);
    return this.answer(user);
  }

  @Get('me')
  async me(@CurrentIdentity() identity: Identity): Promise<UserAnswer> {
    return this.answer(await this.users.getRegistered(identity.email));
  }

  private answer({ subscription, ...user }: User): UserAnswer {
    if (!subscription) return { ...user, subscription: null };
    const { packageId, ...view } = subscriptionView(subscription);
    return { ...user, subscription: { package: this.catalog.nameOf(packageId), ...view } };
  }
}

// Registration takes nothing from the body: a client must not be able to send itself a package_id.
function assertNoBody(body: unknown): void {
  const empty =
    body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0);
  if (!empty) {
    throw new InvalidRequestError('POST /users/me takes no body: the email comes from your token.', {
      fields: typeof body === 'object' ? Object.keys(body as object) : [],
    });
  }
}
