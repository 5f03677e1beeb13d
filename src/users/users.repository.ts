import type { Email } from '../common/email.js';
import type { User } from './user.js';

export interface AddUserResult {
  user: User;
  /** False when the user already existed; it is then returned unchanged. */
  created: boolean;
}

/**
 * Where users live. An abstract class so it can serve as the injection token; UsersModule exports
 * this abstraction only.
 */
export abstract class UsersRepository {
  /** Creates the user with package 0, never overwriting an existing one (concurrent calls make one). */
  abstract addUser(email: Email): Promise<AddUserResult>;

  /** Strongly consistent read; `null` if not registered. */
  abstract getUser(email: Email): Promise<User | null>;

  /** The only write path to `package_id`. Throws UserNotFoundError for an unknown email. */
  abstract setUserPackage(email: Email, packageId: number): Promise<User>;
}
