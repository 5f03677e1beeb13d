import { DependencyUnavailableError, StorageRejectedError } from '../../common/domain-error.js';
import { isPermanentCancellation } from '../../dynamo/dynamo-errors.js';
import type { TransactionCancelledError, TransactionWrite } from '../../dynamo/transaction.js';
import { UnappliedEventNotFoundError } from '../payment.errors.js';
import { markerWrite } from '../ledger/event-marker.js';
import type { Dismissal } from './unapplied-events.js';
import { unappliedListKey, unappliedPointerKey, type UnappliedEventRef } from './unapplied-keys.js';

/** Staff dismissals, newest last; no user's history (`AUDIT#<email>`) can share it, an email has an `@`. */
export const DISMISSAL_AUDIT_PK = 'AUDIT#DISMISSED';

/** Index of the dead letter's delete in the writes below: its failed condition means "no longer parked". */
const DEAD_LETTER_WRITE = 0;

/**
 * One transaction: the dead letter goes (only if it is still there), the event's marker is written as
 * if it had been applied, so Stripe's redelivery answers `duplicate` and never parks it again, and the
 * audit entry says who set it aside and why. No grant, no user is touched.
 */
export function dismissalWrites(
  tableName: string,
  event: UnappliedEventRef & { type: string },
  dismissal: Dismissal,
  now: Date,
): TransactionWrite[] {
  const at = now.toISOString();
  const stillParked = 'attribute_exists(pk)';
  return [
    { Delete: { TableName: tableName, Key: unappliedListKey(event), ConditionExpression: stillParked } },
    {
      Delete: { TableName: tableName, Key: unappliedPointerKey(event.id), ConditionExpression: stillParked },
    },
    markerWrite(tableName, event, now),
    {
      Put: {
        TableName: tableName,
        Item: {
          pk: DISMISSAL_AUDIT_PK,
          sk: `${at}#${event.id}`,
          action: 'dismissed',
          eventId: event.id,
          eventType: event.type,
          source: { type: 'staff', staffEmail: dismissal.staffEmail },
          reason: dismissal.reason,
          at,
        },
      },
    },
  ];
}

/** What a cancelled dismissal transaction (see dismissalWrites) means to the member of staff. */
export function dismissalFailure(error: TransactionCancelledError, eventId: string): Error {
  if (isPermanentCancellation(error.reasons)) {
    return new StorageRejectedError(`DynamoDB refused the dismissal: ${error.message}`, {}, { cause: error });
  }
  // Applied, replayed or dismissed since it was read (the dead letter is gone), or applied before
  // it was parked (only the marker failed): either way there is nothing left to set aside.
  if (error.conditionFailedAt(DEAD_LETTER_WRITE))
    return notParked(eventId, ' any more (applied, replayed or dismissed meanwhile)');
  if (error.reasons.includes('ConditionalCheckFailed'))
    return notParked(eventId, ': it was applied already, its dead letter is stale');
  // A concurrent transaction on the same items: transient, the caller tries again.
  return new DependencyUnavailableError(
    'The payments ledger is busy; try again shortly.',
    {},
    { cause: error },
  );
}

export function notParked(eventId: string, detail = ''): UnappliedEventNotFoundError {
  return new UnappliedEventNotFoundError(`No unapplied event ${eventId} is parked${detail}.`, { eventId });
}
