// `npm run bench:startup [-- --runs 5] [-- --before <other clone>]`: how long a developer waits.
// Per round, in each clone: `npm start` until the first 200 on /health (embedded DynamoDB Local, tables
// already there: a warm clone), then each operator command through its npm script while that server
// runs. A warm-up round per clone is not counted. With --before, the two clones alternate round by
// round, so a busy machine slows both alike. Prints the median and min–max of each figure.
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, before: { type: 'string' } },
});
const runs = Number(values.runs);
const after = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const clones = values.before ? { before: resolve(values.before), after } : { after };

// Each command, as the README runs it; `resend` exists only where stripe:simulate has --resend.
const COMMANDS = [
  ['token', ['alice@example.com']],
  ['users:package', ['alice@example.com', 'pro']],
  ['stripe:simulate', ['bob@example.com', 'pro']],
  ['stripe:simulate --resend', (sent) => ['--resend', sent.lastEvent]],
  ['stripe:replay', ['--list']],
  ['stripe:sync', ['--since', '1h']],
  ['db:init', []],
];

const samples = {}; // clone → figure → milliseconds[]
const resendKnown = new Map(); // clone → whether its stripe:simulate has --resend
const record = (clone, figure, ms) => ((samples[clone] ??= {})[figure] ??= []).push(ms);

for (let round = 0; round <= runs; round++) {
  for (const [name, dir] of Object.entries(clones)) {
    const figures = await measureRound(dir);
    if (round === 0) continue; // warm-up
    for (const [figure, ms] of Object.entries(figures)) record(name, figure, ms);
    console.error(`round ${round} ${name}: ${Object.values(figures).map(Math.round).join(' ')} ms`);
  }
}
printTable();

async function measureRound(dir) {
  const env = await benchEnv(dir);
  const figures = {};
  const started = performance.now();
  const server = spawn('npm', ['start'], {
    cwd: dir,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  server.stdout.on('data', (chunk) => output.push(chunk));
  server.stderr.on('data', (chunk) => output.push(chunk));
  try {
    await untilHealthy(env.PORT, server, output);
    figures['npm start → /health 200'] = performance.now() - started;
    const sent = {};
    for (const [label, args] of COMMANDS) {
      const [script, ...flags] = label.split(' ');
      if (flags.includes('--resend') && !(await hasResend(dir, env))) continue;
      const t0 = performance.now();
      const { stdout, stderr } = await run(dir, env, script, typeof args === 'function' ? args(sent) : args);
      figures[label] = performance.now() - t0;
      const event = /(evt_\w+)/.exec(stderr);
      if (script === 'stripe:simulate' && event) sent.lastEvent = event[1];
      if (label === 'stripe:simulate --resend' && stdout.trim() !== 'duplicate') {
        throw new Error(`--resend answered ${stdout.trim()}, not duplicate`);
      }
    }
  } finally {
    await stop(server);
  }
  return figures;
}

/** The clone's own `.data/bench-startup/`, a free port, development defaults otherwise. */
async function benchEnv(dir) {
  const data = join(dir, '.data', 'bench-startup');
  mkdirSync(data, { recursive: true });
  return {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    DYNAMO_DATA_DIR: join(data, 'dynamodb'),
    AUTH_DEV_SECRET_FILE: join(data, 'auth-dev-secret'),
    STRIPE_WEBHOOK_SECRET_FILE: join(data, 'stripe-webhook-secret'),
    STRIPE_LOCAL_FILE: join(data, 'stripe-local.json'),
  };
}

async function untilHealthy(port, server, output) {
  const deadline = performance.now() + 120_000;
  while (performance.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`npm start exited:\n${Buffer.concat(output)}`);
    const answer = await fetch(`http://127.0.0.1:${port}/health`).catch(() => null);
    if (answer?.status === 200) return;
    await sleep(20);
  }
  throw new Error(`no 200 on /health within 120 s:\n${Buffer.concat(output)}`);
}

async function hasResend(dir, env) {
  if (!resendKnown.has(dir)) {
    // Without --resend, parseArgs refuses the option before anything is sent.
    const probe = await run(dir, env, 'stripe:simulate', ['--resend', 'evt_probe'], { mayFail: true });
    resendKnown.set(dir, !/Unknown option '--resend'/.test(probe.stderr));
  }
  return resendKnown.get(dir);
}

function run(dir, env, script, args, { mayFail = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', script, '--', ...args], { cwd: dir, env });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('close', (code) => {
      const result = { stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
      if (code === 0 || mayFail) resolve(result);
      else reject(new Error(`npm run ${script} ${args.join(' ')} exited ${code}:\n${result.stderr}`));
    });
  });
}

/** SIGTERM to the whole group (npm, node, java), then wait until none of it is left. */
async function stop(server) {
  const group = -server.pid;
  const alive = () => {
    try {
      process.kill(group, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (alive()) process.kill(group, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (alive() && Date.now() < deadline) await sleep(50);
  if (alive()) process.kill(group, 'SIGKILL');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function printTable() {
  const names = Object.keys(clones);
  const figures = [...new Set(names.flatMap((name) => Object.keys(samples[name] ?? {})))];
  const cell = (ms) => {
    if (!ms) return '—';
    const sorted = [...ms].sort((a, b) => a - b);
    const s = (v) => (v / 1000).toFixed(2);
    return `${s(sorted[Math.floor(sorted.length / 2)])} s (${s(sorted[0])}–${s(sorted.at(-1))})`;
  };
  const width = Math.max(...figures.map((f) => f.length));
  console.log(`median of ${runs} (min–max), each command through npm run -s while npm start runs`);
  console.log(`${''.padEnd(width)}  ${names.map((n) => n.padEnd(24)).join('')}`);
  for (const figure of figures) {
    console.log(
      `${figure.padEnd(width)}  ${names.map((n) => cell(samples[n]?.[figure]).padEnd(24)).join('')}`,
    );
  }
}
