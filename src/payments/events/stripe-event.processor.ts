import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { StorageRejectedError } from '../../common/domain-error.js';
import { Metrics } from '../../metrics/metrics.js';
import { LedgerRepository } from '../ledger/ledger.js';
import { LedgerService, type EventOutcome } from '../ledger/ledger.service.js';
import {
  EventNotApplicableError,
  StillUnappliedError,
  UnappliedEventNotFoundError,
} from '../payment.errors.js';
import { parseStripeEvent } from './stripe-event.envelope.js';
import { UnappliedEvents } from '../unapplied/unapplied-events.js';

/** What became of a verified event: applied now, applied before, nothing to do, or parked for staff. */
export type ProcessOutcome = EventOutcome | 'parked';

/**
 * Every verified Stripe event goes through here (webhook, reconciliation, replay): applied exactly once,
 * or — when it names money but cannot be applied as it stands — parked with its JSON and the reason, so
 * it is never dropped. Transient failures are thrown: the sender (Stripe, the operator) retries.
 */
@Injectable()
export class StripeEventProcessor {
  private readonly logger = new Logger('PaymentsLedger');

  constructor(
    private readonly ledger: LedgerService,
    private readonly markers: LedgerRepository,
    private readonly unapplied: UnappliedEvents,
    private readonly metrics: Metrics,
  ) {}

  async process(event: Stripe.Event, payload: string): Promise<ProcessOutcome> {
    try {
      const outcome = await this.applyOrPark(event, payload);
      this.metrics.stripeEventProcessed(event.type, outcome);
      return outcome;
    } catch (error) {
      this.metrics.stripeEventProcessed(event.type, 'failed');
      throw error;
    }
  }

  private async applyOrPark(event: Stripe.Event, payload: string): Promise<ProcessOutcome> {
    const result = await this.tryApply(event);
    if (typeof result === 'string') return result;
    await this.park(event, payload, result);
    return 'parked';
  }

  /** Applies a parked event again, after its cause was fixed; parks it again (409) if it still cannot be. */
  async replay(eventId: string): Promise<EventOutcome> {
    const parked = await this.unapplied.get(eventId);
    if (!parked)
      throw new UnappliedEventNotFoundError(`No unapplied event ${eventId} is parked.`, { eventId });
    const event = parseStripeEvent(JSON.parse(parked.payload));
    const result = await this.tryApply(event);
    if (typeof result !== 'string') {
      await this.park(event, parked.payload, result);
      throw new StillUnappliedError(`Event ${eventId} still cannot be applied: ${result.message}`, {
        eventId,
        reason: result.message,
      });
    }
    // 'applied' removed the dead letter in its own transaction; the others commit nothing.
    if (result !== 'applied') await this.unapplied.remove(event);
    return result;
  }

  /** The event applied (or found applied already), or why it cannot be. */
  private async tryApply(event: Stripe.Event): Promise<EventOutcome | Error> {
    try {
      return await this.ledger.applyStripeEvent(event);
    } catch (error) {
      if (!(error instanceof EventNotApplicableError || error instanceof StorageRejectedError)) throw error;
      // Applied before its cause appeared (a redelivery after a catalog change), or by another path
      // since it was parked: nothing is missing.
      return (await this.markers.isProcessed(event.id)) ? 'duplicate' : error;
    }
  }

  private async park(event: Stripe.Event, payload: string, cause: Error): Promise<void> {
    await this.unapplied.park(event, payload, cause.message);
    const detail = cause.cause instanceof Error ? ` (${cause.cause.name}: ${cause.cause.message})` : '';
    this.logger.error(`event ${event.id} (${event.type}) parked, not applied: ${cause.message}${detail}`);
  }
}
