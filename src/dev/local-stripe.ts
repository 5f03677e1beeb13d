import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PaymentsConfig } from '../config/app-config.js';
import type { PackageDefinition } from '../config/packages.js';
import type { StripeStandIn } from './stripe-stand-in/stand-in-api.js';

/** The secret key the SDK presents to the local stand-in (which accepts any). */
export const LOCAL_STRIPE_SECRET_KEY = 'sk_test_packgate_local';

/** What the development server writes for `stripe:simulate` to find its stand-in. */
export interface LocalStripeState {
  url: string;
  pid: number;
}

/**
 * Development's Stripe when there is no STRIPE_SECRET_KEY: the stand-in the tests use, serving the
 * prices PACKAGES lists (monthly or yearly when the id says `month` or `year`, else one-time) and the
 * `/_packgate/…` routes `stripe:simulate` drives. It keeps everything in memory: a restart forgets
 * its customers and subscriptions (packgate's grants, in DynamoDB, stay). A process that finds one
 * already running on its state file (a second instance, `stripe:sync`) uses that one instead.
 */
export class LocalStripe implements OnApplicationShutdown {
  private constructor(
    readonly url: string | null,
    private readonly owned: { standIn: StripeStandIn; stateFile: string } | null,
  ) {}

  static async open(payments: PaymentsConfig, packages: PackageDefinition[]): Promise<LocalStripe> {
    if (!payments.localStripe) return new LocalStripe(null, null);
    const { stateFile } = payments.localStripe;
    const running = await runningStandIn(stateFile);
    if (running) {
      new Logger('Stripe').log(`using the local Stripe stand-in already running on ${running}`);
      return new LocalStripe(running, null);
    }
    // Imported here, not above: a server with real Stripe keys (and the Lambda bundle) never loads it.
    const { startStripeStandIn } = await import('./stripe-stand-in/stripe-stand-in.js');
    const standIn = await startStripeStandIn({ simulation: true });
    for (const pkg of packages) {
      for (const id of pkg.stripePriceIds) {
        standIn.definePrice({ id, unitAmount: 1000 * pkg.id, recurring: recurrenceOf(id) });
      }
    }
    const state: LocalStripeState = { url: standIn.url, pid: process.pid };
    await mkdir(dirname(stateFile), { recursive: true });
    await writeFile(stateFile, `${JSON.stringify(state)}\n`);
    new Logger('Stripe').log(
      `local Stripe stand-in on ${standIn.url} (in memory; address in ${stateFile}; STRIPE_LOCAL=false turns it off)`,
    );
    return new LocalStripe(standIn.url, { standIn, stateFile });
  }

  /** The payments settings the SDK client is built from: pointed at the stand-in when it runs. */
  clientSettings(payments: PaymentsConfig): PaymentsConfig {
    if (!this.url) return payments;
    return { ...payments, stripeSecretKey: LOCAL_STRIPE_SECRET_KEY, stripeApiUrl: this.url };
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.owned) return;
    const { standIn, stateFile } = this.owned;
    await standIn.close();
    // Another server may have started since on the same file: its address stays.
    if ((await readState(stateFile))?.url === standIn.url) await rm(stateFile, { force: true });
  }
}

async function readState(stateFile: string): Promise<LocalStripeState | null> {
  const written = await readFile(stateFile, 'utf8').catch(() => null);
  try {
    return written ? (JSON.parse(written) as LocalStripeState) : null;
  } catch {
    return null;
  }
}

/** The address in the state file if its process lives and it answers; a crashed server's is stale. */
async function runningStandIn(stateFile: string): Promise<string | null> {
  const state = await readState(stateFile);
  if (!state || !processLives(state.pid)) return null;
  const answer = await fetch(`${state.url}/v1/prices/price_probe`, {
    signal: AbortSignal.timeout(500),
  }).catch(() => null);
  return answer ? state.url : null;
}

function processLives(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it lives, as another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function recurrenceOf(priceId: string): { interval: 'month' | 'year' } | undefined {
  if (/month/i.test(priceId)) return { interval: 'month' };
  if (/year/i.test(priceId)) return { interval: 'year' };
  return undefined;
}
