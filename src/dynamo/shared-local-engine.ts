import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalDynamoEngine } from './local-engine.js';

/** A DynamoDB Local on a data folder: started here (and stopped by `release`), or already running. */
export interface LocalEngineLease {
  endpoint: string;
  /** True when this process started the engine and so must stop it. */
  owned: boolean;
  release(): Promise<void>;
}

const ENDPOINT_FILE = 'endpoint.json';

// Leases begun before the app is assembled, waiting for the app's DynamoEndpoint to take them over.
const begunEarly = new Map<string, Promise<LocalEngineLease>>();

/**
 * Starts leasing the engine of `dataDir` now, so the JVM (about 1 s to answer) boots while Nest's
 * modules load; the next leaseLocalEngine() for that folder in this process takes the lease over.
 * A failure (no Java, say) is reported there, by the caller that would have started it anyway.
 */
export function leaseLocalEngineEarly(dataDir: string, port: number): void {
  const lease = leaseLocalEngine(dataDir, port);
  lease.catch(() => undefined);
  begunEarly.set(dataDir, lease);
}

/**
 * One engine per data folder: the process that starts it writes its address into the folder, and
 * later processes (a second app instance, `npm run db:init`, `npm run users:package`) use it instead
 * of opening the same database files with a second engine.
 */
export async function leaseLocalEngine(dataDir: string, port: number): Promise<LocalEngineLease> {
  const early = begunEarly.get(dataDir);
  if (early) {
    begunEarly.delete(dataDir);
    return early;
  }
  const running = await runningEngine(dataDir);
  if (running) return { endpoint: running, owned: false, release: async () => undefined };
  const engine = await LocalDynamoEngine.start({ dataDir, port });
  const file = join(dataDir, ENDPOINT_FILE);
  writeFileSync(file, JSON.stringify({ endpoint: engine.endpoint, pid: process.pid }));
  return {
    endpoint: engine.endpoint,
    owned: true,
    release: async () => {
      rmSync(file, { force: true });
      await engine.stop();
    },
  };
}

async function runningEngine(dataDir: string): Promise<string | null> {
  let endpoint: unknown;
  try {
    ({ endpoint } = JSON.parse(readFileSync(join(dataDir, ENDPOINT_FILE), 'utf8')) as { endpoint?: unknown });
  } catch {
    return null;
  }
  if (typeof endpoint !== 'string') return null;
  try {
    // A left-over file from a process that died: nothing answers there any more.
    await fetch(endpoint, { method: 'POST', signal: AbortSignal.timeout(1_000) });
    return endpoint;
  } catch {
    return null;
  }
}
