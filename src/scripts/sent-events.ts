import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Where `stripe:simulate` keeps what it sent, under the project's data folder like its secrets. */
export const SENT_EVENTS_DIR = '.data/stripe-simulated';

/**
 * The exact bytes of every event `stripe:simulate` delivered, one file per event id, so `--resend`
 * delivers the same event again as Stripe does when it retries: same id and payload, a new signature.
 */
export class SentEvents {
  private readonly dir: string;

  constructor(dir = SENT_EVENTS_DIR) {
    this.dir = resolve(dir);
  }

  async keep(event: { id: string }, payload: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = this.fileOf(event.id);
    await writeFile(`${file}.tmp`, payload);
    await rename(`${file}.tmp`, file);
  }

  /** The payload sent as `eventId`; throws a message saying where it looked when there is none. */
  async payloadOf(eventId: string): Promise<string> {
    const payload = await readFile(this.fileOf(eventId), 'utf8').catch(() => null);
    if (payload === null) {
      throw new Error(`stripe:simulate has not sent ${eventId} from this folder (nothing in ${this.dir})`);
    }
    return payload;
  }

  private fileOf(eventId: string): string {
    if (!/^evt_\w+$/.test(eventId)) throw new Error(`expected an event id (evt_…), got ${eventId}`);
    return join(this.dir, `${eventId}.json`);
  }
}
