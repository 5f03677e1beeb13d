import { Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { CurrentIdentity, type Identity } from '../auth/current-identity.decorator.js';
import { InvalidRequestError } from '../common/domain-error.js';
import { ValidBody, ValidQuery } from '../common/parse-body.js';
import { isStripeId } from '../payments/events/stripe-event.envelope.js';
import { StripeEventProcessor } from '../payments/events/stripe-event.processor.js';
import { UnappliedEvents, type UnappliedEvent } from '../payments/unapplied/unapplied-events.js';
import { UnappliedEventNotFoundError } from '../payments/payment.errors.js';
import { TokenCallerGuard } from '../auth/token-caller.guard.js';
import { StaffGuard } from './staff.guard.js';

const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
});
type ListQuery = z.infer<typeof listQuery>;

const dismissBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });
type DismissBody = z.infer<typeof dismissBody>;

/** Payment events that could not be applied (dead letters): staff read them, replay or dismiss them. */
@Controller('admin/payments/unapplied')
@UseGuards(TokenCallerGuard, StaffGuard)
export class AdminPaymentsController {
  constructor(
    private readonly unapplied: UnappliedEvents,
    private readonly processor: StripeEventProcessor,
  ) {}

  /** Newest first; `next` is the cursor of the following page, `total` how many are parked in all. */
  @Get()
  async list(
    @ValidQuery(listQuery, 'query parameters limit (1-100) and cursor') { limit, cursor }: ListQuery,
  ): Promise<{ items: UnappliedEvent[]; next: string | null; total: number }> {
    const [page, total] = await Promise.all([this.unapplied.list(limit, cursor), this.unapplied.count()]);
    return { ...page, total };
  }

  /** One parked event, with the event as Stripe sent it. */
  @Get(':eventId')
  async show(@Param('eventId') eventId: string): Promise<UnappliedEvent & { event: unknown }> {
    const parked = await this.unapplied.get(checkedEventId(eventId));
    if (!parked)
      throw new UnappliedEventNotFoundError(`No unapplied event ${eventId} is parked.`, { eventId });
    const { payload, ...summary } = parked;
    return { ...summary, event: JSON.parse(payload) };
  }

  /** Applies the event through the ledger, exactly once; 409 (and parked again) if it still cannot be. */
  @Post(':eventId/replay')
  @HttpCode(200)
  async replay(@Param('eventId') eventId: string): Promise<{ eventId: string; outcome: string }> {
    return { eventId, outcome: await this.processor.replay(checkedEventId(eventId)) };
  }

  /** Sets the event aside for good (a test webhook, a price never ours), audited; nothing is granted. */
  @Post(':eventId/dismiss')
  @HttpCode(200)
  async dismiss(
    @Param('eventId') eventId: string,
    @ValidBody(dismissBody, '{ "reason": "<why, 1-500 characters>" }') { reason }: DismissBody,
    @CurrentIdentity() staff: Identity,
  ): Promise<{ eventId: string; outcome: 'dismissed' }> {
    await this.unapplied.dismiss(checkedEventId(eventId), { staffEmail: staff.email, reason });
    return { eventId, outcome: 'dismissed' };
  }
}

function checkedEventId(eventId: string): string {
  if (!isStripeId(eventId, 'evt_'))
    throw new InvalidRequestError('An event id looks like evt_…', { eventId });
  return eventId;
}
