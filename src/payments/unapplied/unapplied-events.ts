import type { Email } from '../../common/email.js';
import type { UnappliedEventRef } from './unapplied-keys.js';

/** A verified payment event that could not be applied, parked where staff see it. */
export interface UnappliedEvent {
  eventId: string;
  eventType: string;
  /** When Stripe created the event (ISO 8601). */
  eventCreatedAt: string;
  /** Why it could not be applied, the last time it was tried. */
  reason: string;
  /** First parked. */
  parkedAt: string;
  lastAttemptAt: string;
  /** Times it was parked: its first delivery, then every failed replay or redelivery. */
  attempts: number;
}

export interface ParkedEvent extends UnappliedEventRef {
  type: string;
}

export interface UnappliedPage {
  items: UnappliedEvent[];
  /** Pass back as `cursor` for the next (older) page; null on the last one. */
  next: string | null;
}

/** Why a member of staff set a parked event aside for good, and who did. */
export interface Dismissal {
  staffEmail: Email;
  reason: string;
}

/** Dead letters of the payments ledger. An abstract class to serve as DI token. */
export abstract class UnappliedEvents {
  /** Parks `event` with its exact JSON; parking it again updates the reason and counts the attempt. */
  abstract park(event: ParkedEvent, payload: string, reason: string): Promise<void>;

  /** Newest first (by the event's creation time). A malformed cursor throws InvalidRequestError. */
  abstract list(limit: number, cursor?: string): Promise<UnappliedPage>;

  abstract count(): Promise<number>;

  /** The parked event and its JSON as Stripe sent it; null if none is parked under that id. */
  abstract get(eventId: string): Promise<(UnappliedEvent & { payload: string }) | null>;

  /**
   * Sets a parked event aside for good, audited, and marks it done so a redelivery answers `duplicate`.
   * Throws UnappliedEventNotFoundError if it is not parked (never was, or applied or dismissed meanwhile).
   */
  abstract dismiss(eventId: string, dismissal: Dismissal): Promise<void>;

  /** Deletes the dead letter (nothing to delete is fine). */
  abstract remove(event: UnappliedEventRef): Promise<void>;
}
