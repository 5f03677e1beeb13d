/**
 * `npm run -s stripe:sync -- --since 72h` lists the events packgate handles from Stripe's API and
 * applies each through the same path as the webhook: already applied → skipped, missed → applied once,
 * unappliable → parked. How an operator recovers from a webhook outage longer than Stripe's retries.
 */
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { AppModule } from '../app.module.js';
import { parseDuration } from '../common/duration.js';
import { loadConfig } from '../config/app-config.js';
import { StripeSyncService } from '../payments/events/stripe-sync.service.js';

// Stripe's events API keeps 30 days of events.
const MAX_LOOKBACK_MS = 30 * 86_400_000;
const USAGE = 'usage: npm run -s stripe:sync -- --since <duration: 90m, 72h, 30d> [--verbose]';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { since: { type: 'string' }, verbose: { type: 'boolean', default: false } },
  });
  const lookback = values.since ? parseDuration(values.since) : null;
  if (!lookback) throw new Error(USAGE);
  if (lookback > MAX_LOOKBACK_MS)
    console.error('stripe:sync: Stripe keeps events for 30 days; older ones are gone');
  const context = await NestFactory.createApplicationContext(AppModule.forRoot(loadConfig(process.env)), {
    logger: ['error'],
  });
  try {
    const report = await context
      .get(StripeSyncService)
      .sync(new Date(Date.now() - lookback), (event, outcome) => {
        if (values.verbose) console.error(`${event.id} ${event.type} → ${outcome}`);
      });
    const notActedOn = report.ignored > 0 ? `, ${report.ignored} not acted on` : '';
    console.log(
      `${report.seen} seen, ${report.applied} applied, ${report.duplicate} already applied, ${report.parked} parked${notActedOn}`,
    );
  } finally {
    await context.close();
  }
}
