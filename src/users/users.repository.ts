import type { Email } from '../common/email.js';
import type { TransactionWrite } from '../dynamo/transaction.js';
import type { PackageAccess } from './package-access.js';
import type { PackageChange, User, UserPackageState } from './user.js';

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

  /**
   * Sets `package_id` directly (tests, tools). Throws UserNotFoundError for an unknown email.
   * Production changes go through the payments ledger, which derives the package from grants and
   * treats this like any write from outside: honoured at its next change (an external grant, or the
   * grants above it revoked).
   */
  abstract setUserPackage(email: Email, packageId: number): Promise<User>;

  /**
   * The package the user holds now and until when it holds (a subscription's end), strongly
   * consistent; package 0 for an unknown user.
   */
  abstract getPackageAccess(email: Email): Promise<PackageAccess>;

  /** Package, active grants and version, strongly consistent; null if the user does not exist. */
  abstract getPackageState(email: Email): Promise<UserPackageState | null>;

  /**
   * The write of `package_id` for the ledger's transaction: conditional on the version and the
   * `package_id` read (outside writers never bump the version), creating the user if it did not exist. With setUserPackage, the only code that writes `package_id`.
   */
  abstract packageWrite(change: PackageChange): TransactionWrite;
}
