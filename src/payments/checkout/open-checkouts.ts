import type { Email } from '../../common/email.js';

/** A Checkout Session a user was sent to, as long as Stripe may still take payment on it. */
export interface OpenCheckout {
  sessionId: string;
  url: string | null;
  /** When Stripe expires it, in seconds since the epoch. */
  expiresAt: number;
}

/**
 * The Checkout Session each user has open per package, so a second checkout returns the first
 * instead of opening a second way to pay. An abstract class to serve as the DI token.
 */
export abstract class OpenCheckouts {
  /** The remembered session, unless none is or it has expired. Strongly consistent. */
  abstract find(email: Email, packageId: number): Promise<OpenCheckout | null>;

  /**
   * Remembers `session` unless another live one is remembered — other than `replacing`, a session
   * found no longer open. Returns the one in force: `session`, or the one another writer stored first.
   */
  abstract remember(
    email: Email,
    packageId: number,
    session: OpenCheckout,
    replacing: string | null,
  ): Promise<OpenCheckout>;
}
