/**
 * `npm run -s stripe:replay -- evt_…` applies a parked (unapplied) Stripe event through the ledger, as
 * staff do with POST /admin/payments/unapplied/:eventId/replay; `--list` prints what is parked;
 * `--dismiss evt_… --reason "…" [--by you@example.com]` sets one aside for good, as …/:eventId/dismiss.
 */
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { AppModule } from '../app.module.js';
import { normalizeEmail } from '../common/email.js';
import { loadConfig } from '../config/app-config.js';
import { StripeEventProcessor } from '../payments/events/stripe-event.processor.js';
import { UnappliedEvents } from '../payments/unapplied/unapplied-events.js';

const USAGE =
  'usage: npm run -s stripe:replay -- <evt_…> | --list | --dismiss <evt_…> --reason "…" [--by <email>]';

export async function run(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      list: { type: 'boolean', default: false },
      dismiss: { type: 'string' },
      reason: { type: 'string' },
      by: { type: 'string', default: 'operator@packgate.local' },
    },
  });
  const modes = [values.list, positionals.length === 1, values.dismiss !== undefined].filter(Boolean);
  const reason = values.reason?.trim() ?? '';
  if (modes.length !== 1 || positionals.length > 1) throw new Error(USAGE);
  if (values.dismiss !== undefined && (reason.length < 1 || reason.length > 500)) throw new Error(USAGE);
  const context = await NestFactory.createApplicationContext(AppModule.forRoot(loadConfig(process.env)), {
    logger: ['error'],
  });
  try {
    if (values.list) {
      await printParked(context.get(UnappliedEvents));
      return;
    }
    if (values.dismiss !== undefined) {
      const staffEmail = normalizeEmail(values.by);
      await context.get(UnappliedEvents).dismiss(values.dismiss, { staffEmail, reason });
      console.log(`${values.dismiss}: dismissed`);
      return;
    }
    const [eventId] = positionals;
    const outcome = await context.get(StripeEventProcessor).replay(eventId);
    console.log(`${eventId}: ${outcome}`);
  } finally {
    await context.close();
  }
}

async function printParked(unapplied: UnappliedEvents): Promise<void> {
  let cursor: string | undefined;
  let count = 0;
  do {
    const page = await unapplied.list(100, cursor);
    for (const item of page.items) {
      console.log(`${item.eventId}\t${item.eventType}\t${item.eventCreatedAt}\t${item.reason}`);
    }
    count += page.items.length;
    cursor = page.next ?? undefined;
  } while (cursor);
  console.error(`${count} unapplied event(s)`);
}
