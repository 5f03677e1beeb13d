import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Where `stripe:simulate` keeps what it sent, under the project's data folder like its secrets. */
export const SENT_EVENTS_DIR = '.data/stripe-simulated';
const LAST = 'last';

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
    await this.write(this.fileOf(event.id), payload);
    await this.write(join(this.dir, LAST), event.id);
  }

  /** The payload sent as `eventId` (`last`: the latest sent); says where it looked when there is none. */
  async payloadOf(eventId: string): Promise<{ id: string; payload: string }> {
    const id = eventId === LAST ? await this.read(join(this.dir, LAST)) : eventId;
    const payload = id === null ? null : await this.read(this.fileOf(id));
    if (id === null || payload === null) {
      throw new Error(`stripe:simulate has not sent ${eventId} from this folder (nothing in ${this.dir})`);
    }
    return { id, payload };
  }

  private async write(file: string, text: string): Promise<void> {
    await writeFile(`${file}.tmp`, text);
    await rename(`${file}.tmp`, file);
  }

  private read(file: string): Promise<string | null> {
    return readFile(file, 'utf8').catch(() => null);
  }

  private fileOf(eventId: string): string {
    if (!/^evt_\w+$/.test(eventId)) throw new Error(`expected an event id (evt_…), got ${eventId}`);
    return join(this.dir, `${eventId}.json`);
  }
}
