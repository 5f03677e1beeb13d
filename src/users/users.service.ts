import { Injectable } from '@nestjs/common';
import type { Email } from '../common/email.js';
import { UserNotFoundError, type User } from './user.js';
import { UsersRepository, type AddUserResult } from './users.repository.js';

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  /** Registers the caller; an existing user comes back untouched (package kept). */
  register(email: Email): Promise<AddUserResult> {
    return this.users.addUser(email);
  }

  async getRegistered(email: Email): Promise<User> {
    const user = await this.users.getUser(email);
    if (!user) throw new UserNotFoundError(email);
    return user;
  }
}
