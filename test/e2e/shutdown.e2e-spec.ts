import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/common/free-port.js';
import { newPurchase, signature, stripeEvents, TEST_PACKAGES } from '../support/stripe-events.js';
import { parseRawResponse } from '../support/raw-http.js';
import { isTscBuildCurrent } from '../support/tsc-build.js';
import { TEST_DEV_SECRET, TEST_WEBHOOK_SECRET, uniqueEmail } from '../support/tokens.js';

// The real entry point, built as `npm run build` builds it, run as `npm start` runs it: signals are
// only handled in a process of its own. Built under .data/ so that it resolves the project's packages.
const ROOT = resolve(import.meta.dirname, '../..');
const BUILD_DIR = join(ROOT, '.data', `shutdown-spec-${randomUUID()}`);
const GRACE_MS = 4_000;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface RunningServer {
  child: ChildProcess;
  port: number;
  dataDir: string;
  output: () => string;
  exited: Promise<{ code: number | null; at: number }>;
}

/** `node main.js` on an embedded DynamoDB Local of its own, answering once it logs that it listens. */
async function startServer(): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = join(BUILD_DIR, `data-${randomUUID()}`);
  const child = spawn(process.execPath, [join(BUILD_DIR, 'main.js')], {
    cwd: BUILD_DIR,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: String(port),
      HOST: '127.0.0.1',
      DYNAMO_ENDPOINT: 'local',
      DYNAMO_DATA_DIR: dataDir,
      AUTH_DEV_SECRET: TEST_DEV_SECRET,
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      PACKAGES: TEST_PACKAGES,
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; at: number }>((done) =>
    child.once('exit', (code) => done({ code, at: performance.now() })),
  );
  const deadline = performance.now() + 45_000;
  while (!output.includes('packgate listening on')) {
    if (child.exitCode !== null || performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not start:\n${output}`);
    }
    await sleep(50);
  }
  return { child, port, dataDir, output: () => output, exited };
}

/** A keep-alive client that has made one request and keeps its connection open, idle. */
async function idleKeepAliveClient(port: number) {
  const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
  let socket: Socket | undefined;
  const status = await new Promise<number | undefined>((done, fail) => {
    const request = get({ host: '127.0.0.1', port, path: '/health', agent }, (response) => {
      socket = response.socket;
      response.resume();
      response.on('end', () => done(response.statusCode));
    });
    request.on('error', fail);
  });
  expect(status).toBe(200);
  let closedAt: number | undefined;
  socket!.once('close', () => (closedAt = performance.now()));
  return { agent, closedAt: () => closedAt };
}

/** A raw connection that has sent `start` and sends the rest when asked; collects what comes back. */
function partialRequest(port: number, start: string) {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (data) => (text += data.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((done) => socket.once('close', () => done()));
  socket.write(start);
  return {
    finish: async (rest: string) => {
      socket.write(rest);
      await closed;
      return parseRawResponse(text);
    },
    closed,
  };
}

function webhookRequest() {
  const payload = JSON.stringify(stripeEvents.checkoutCompleted(newPurchase(uniqueEmail(), 2)));
  const head = [
    'POST /payments/stripe/webhook HTTP/1.1',
    'Host: 127.0.0.1',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(payload)}`,
    `Stripe-Signature: ${signature(payload)}`,
  ].join('\r\n');
  const half = Math.floor(payload.length / 2);
  return { start: `${head}\r\n\r\n${payload.slice(0, half)}`, rest: payload.slice(half) };
}

describe('graceful shutdown (node dist/main.js, SIGTERM)', () => {
  beforeAll(async () => {
    mkdirSync(BUILD_DIR, { recursive: true });
    if (isTscBuildCurrent(ROOT)) {
      // Right after `npm run build` (as `npm test` runs it), dist/ holds exactly what tsc would write.
      cpSync(join(ROOT, 'dist'), BUILD_DIR, { recursive: true });
    } else {
      const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      const buildInfo = join(BUILD_DIR, '.tsbuildinfo');
      await promisify(execFile)(process.execPath, [
        tsc,
        ...['-p', join(ROOT, 'tsconfig.build.json'), '--outDir', BUILD_DIR, '--tsBuildInfoFile', buildInfo],
      ]);
    }
    // Inside .data/ no package.json says these files are ES modules.
    writeFileSync(join(BUILD_DIR, 'package.json'), '{ "type": "module" }\n');
  }, 120_000);

  afterAll(() => rmSync(BUILD_DIR, { recursive: true, force: true }));

  it('finishes a webhook in flight (200 applied), answers new requests 503, closes an idle keep-alive connection and exits 0 within the grace, DynamoDB Local stopped last', async () => {
    const server = await startServer();
    const keepAlive = await idleKeepAliveClient(server.port);
    const webhook = webhookRequest();
    const inFlight = partialRequest(server.port, webhook.start);
    const readyProbe = partialRequest(server.port, 'GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await sleep(200);

    const signalledAt = performance.now();
    server.child.kill('SIGTERM');
    await sleep(300);
    const ready = await readyProbe.finish('\r\n');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ code: 'SERVICE.SHUTTING_DOWN' });
    expect(ready.headers.connection).toBe('close');

    // The rest of the body arrives after the signal: the handler and its DynamoDB writes run then.
    await sleep(500);
    const applied = await inFlight.finish(webhook.rest);
    expect(applied.status).toBe(200);
    expect(applied.body).toEqual({ received: true, outcome: 'applied' });

    const { code, at } = await server.exited;
    expect(code).toBe(0);
    expect(at - signalledAt).toBeLessThan(GRACE_MS);
    // Closed by the server, well before the exit: it was idle when the signal came.
    expect(keepAlive.closedAt()).toBeLessThan(signalledAt + 1_000);
    keepAlive.agent.destroy();
    // The embedded engine was stopped by packgate (its address file removed), not left running.
    expect(existsSync(join(server.dataDir, 'endpoint.json'))).toBe(false);
    expect(server.output()).toContain('shut down cleanly');
  }, 60_000);

  it('exits within SHUTDOWN_GRACE_MS (code 1) when a request never finishes', async () => {
    const server = await startServer();
    const keepAlive = await idleKeepAliveClient(server.port);
    // Half a webhook whose client then goes silent: Node would wait HTTP_REQUEST_TIMEOUT_MS for it.
    partialRequest(server.port, webhookRequest().start);
    await sleep(200);

    const signalledAt = performance.now();
    server.child.kill('SIGTERM');
    const { code, at } = await server.exited;
    expect(code).toBe(1);
    expect(at - signalledAt).toBeGreaterThanOrEqual(GRACE_MS - 100);
    expect(at - signalledAt).toBeLessThan(GRACE_MS + 1_000);
    expect(keepAlive.closedAt()).toBeLessThan(signalledAt + 1_000);
    keepAlive.agent.destroy();
    expect(server.output()).toContain('requests still in flight after SHUTDOWN_GRACE_MS');
  }, 60_000);
});
