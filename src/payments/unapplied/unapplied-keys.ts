/**
 * Where a parked (unapplied) event lives in the ledger table: one item per event in the `UNAPPLIED`
 * partition, sorted by the event's creation time so staff read newest first, and a pointer from the
 * event id to it. Both keys follow from the event alone, so applying an event deletes its dead letter
 * in the same transaction without reading it first.
 */
export interface UnappliedEventRef {
  id: string;
  /** The event's `created` (Unix seconds). */
  created: number;
}

export const UNAPPLIED_PARTITION = 'UNAPPLIED';

export const unappliedListKey = (event: UnappliedEventRef) => ({
  pk: UNAPPLIED_PARTITION,
  sk: `${String(event.created).padStart(12, '0')}#${event.id}`,
});

export const unappliedPointerKey = (eventId: string) => ({ pk: `UNAPPLIED#${eventId}`, sk: 'UNAPPLIED' });
