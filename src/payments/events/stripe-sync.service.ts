import { Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { parseStripeEvent } from './stripe-event.envelope.js';
import { HANDLED_EVENT_TYPES } from './stripe-event.interpreter.js';
import { StripeEventProcessor, type ProcessOutcome } from './stripe-event.processor.js';
import { InjectStripe, requireStripe, type StripeClient } from '../stripe/stripe.tokens.js';

export type SyncReport = Record<ProcessOutcome, number> & { seen: number };

/**
 * Reconciliation: lists the events packgate handles from Stripe's API (Stripe keeps 30 days) and
 * passes each through the same processor as the webhook. Applied ones are duplicates, missed ones are
 * applied once, unappliable ones parked; running it again changes nothing.
 */
@Injectable()
export class StripeSyncService {
  constructor(
    @InjectStripe() private readonly stripeClient: StripeClient,
    private readonly processor: StripeEventProcessor,
  ) {}

  async sync(
    since: Date,
    onEvent?: (event: Stripe.Event, outcome: ProcessOutcome) => void,
  ): Promise<SyncReport> {
    const stripe = await requireStripe(this.stripeClient, 'Reconciliation');
    const report: SyncReport = { seen: 0, applied: 0, duplicate: 0, ignored: 0, parked: 0 };
    const events = stripe.events.list({
      created: { gte: Math.floor(since.getTime() / 1000) },
      types: [...HANDLED_EVENT_TYPES],
      limit: 100,
    });
    // Newest first, as Stripe lists them: the ledger's outcome does not depend on the order.
    for await (const listed of events) {
      const event = parseStripeEvent(listed);
      const outcome = await this.processor.process(event, JSON.stringify(listed));
      report.seen++;
      report[outcome]++;
      onEvent?.(event, outcome);
    }
    return report;
  }
}
