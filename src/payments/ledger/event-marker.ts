import type { TransactionWrite } from '../../dynamo/transaction.js';

// Stripe retries a delivery for up to 3 days; a marker outlives that comfortably.
const MARKER_TTL_S = 35 * 24 * 3600;

/** Where the ledger records that an event is done with: applied, or dismissed by staff. */
export const markerKey = (eventId: string) => ({ pk: `EVENT#${eventId}`, sk: 'EVENT' });

/**
 * Writes the event's marker unless it exists: a later delivery of the same event then answers
 * `duplicate` (the write's failed condition), whatever wrote the marker first.
 */
export function markerWrite(
  tableName: string,
  event: { id: string; type: string },
  now: Date,
): TransactionWrite {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...markerKey(event.id),
        event_type: event.type,
        processed_at: now.toISOString(),
        expires_at: Math.floor(now.getTime() / 1000) + MARKER_TTL_S,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
