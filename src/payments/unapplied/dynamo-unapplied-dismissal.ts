import type { TransactionWrite } from '../../dynamo/transaction.js';
import { markerWrite } from '../ledger/event-marker.js';
import type { Dismissal } from './unapplied-events.js';
import { unappliedListKey, unappliedPointerKey, type UnappliedEventRef } from './unapplied-keys.js';

/** Staff dismissals, newest last; no user's history (`AUDIT#<email>`) can share it, an email has an `@`. */
export const DISMISSAL_AUDIT_PK = 'AUDIT#DISMISSED';

/** Index of the dead letter's delete in the writes below: its failed condition means "no longer parked". */
export const DEAD_LETTER_WRITE = 0;

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
