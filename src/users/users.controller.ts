import { Body, Controller, Get, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CurrentIdentity, type Identity } from '../auth/current-identity.decorator.js';
import { InvalidRequestError } from '../common/domain-error.js';
import type { User } from './user.js';
import { UsersService } from './users.service.js';

@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** 201 with the new user, or 200 with the existing one; the email comes from the token alone. */
  @Post('me')
  async register(
    @CurrentIdentity() identity: Identity,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<User> {
    assertNoBody(body);
    const { user, created } = await this.users.register(identity.email);
    reply.status(created ? 201 : 200);
    return user;
  }

  @Get('me')
  me(@CurrentIdentity() identity: Identity): Promise<User> {
    return this.users.getRegistered(identity.email);
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
