import { gunzipSync, gzipSync } from 'node:zlib';
import { InvalidRequestError } from '../../common/domain-error.js';
import type { TransactionWrite } from '../../dynamo/transaction.js';
import type { ParkedEvent, UnappliedEvent } from './unapplied-events.js';
import { unappliedListKey, unappliedPointerKey } from './unapplied-keys.js';

/** A dead letter as the ledger table stores it, in the `UNAPPLIED` partition (see unapplied-keys.ts). */
export interface UnappliedItem {
  event_id: string;
  event_type: string;
  event_created: number;
  reason: string;
  parked_at: string;
  last_attempt_at: string;
  attempts: number;
  /** The event's JSON, gzipped: Stripe events can be large, and an item holds at most 400 KB. */
  payload?: Uint8Array;
}

/** The attributes a list reads: everything but the payload. */
export const SUMMARY = 'event_id, event_type, event_created, reason, parked_at, last_attempt_at, attempts';

/**
 * Parks `event`, or parks it again: the list item keeps when it was first parked and counts the
 * attempts; the pointer leads from the event id to it.
 */
export function parkWrites(
  tableName: string,
  event: ParkedEvent,
  payload: string,
  reason: string,
  now: Date,
): TransactionWrite[] {
  const listKey = unappliedListKey(event);
  return [
    {
      Update: {
        TableName: tableName,
        Key: listKey,
        UpdateExpression:
          'SET event_id = :id, event_type = :type, event_created = :created, reason = :reason, ' +
          'payload = :payload, last_attempt_at = :now, parked_at = if_not_exists(parked_at, :now) ' +
          'ADD attempts :one',
        ExpressionAttributeValues: {
          ':id': event.id,
          ':type': event.type,
          ':created': event.created,
          ':reason': reason,
          ':payload': gzipSync(payload),
          ':now': now.toISOString(),
          ':one': 1,
        },
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: { ...unappliedPointerKey(event.id), listed_sk: listKey.sk },
      },
    },
  ];
}

export function toUnapplied(item: UnappliedItem): UnappliedEvent {
  return {
    eventId: item.event_id,
    eventType: item.event_type,
    eventCreatedAt: new Date(item.event_created * 1000).toISOString(),
    reason: item.reason,
    parkedAt: item.parked_at,
    lastAttemptAt: item.last_attempt_at,
    attempts: item.attempts,
  };
}

/** The event's JSON as Stripe sent it, from the stored `payload`. */
export function unzipPayload(payload: Uint8Array): string {
  return gunzipSync(payload).toString('utf8');
}

/** The cursor a page gives out: the sort key of its last item. */
export function encodeCursor(lastSk: unknown): string {
  return Buffer.from(String(lastSk)).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{12}#evt_[A-Za-z0-9_]+$/.test(sk)) {
    throw new InvalidRequestError('cursor is not one this list gave out.', { cursor });
  }
  return sk;
}
