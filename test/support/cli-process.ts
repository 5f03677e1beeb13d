import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
export { freePort } from '../../src/common/free-port.js';

const CHECKOUT = fileURLToPath(new URL('../..', import.meta.url));
/** The `packgate` bin of this checkout, as package.json declares it. */
export const PACKGATE_BIN = fileURLToPath(new URL('../../bin/packgate.js', import.meta.url));
/** The module the bin runs first, bringing dist/ up to date with src/. */
export const FRESH_DIST = fileURLToPath(new URL('../../bin/fresh-dist.js', import.meta.url));

export interface CommandResult {
  code: number | null;
  stdout: string;
  /** Without the AWS SDK's Node-version warning, which Node 20 prints and Node 24 does not. */
  stderr: string;
}

/**
 * Where a spawned command runs: its own folder (its .data/, no .env) and only the variables given,
 * so nothing of the test process (jest's NODE_ENV=test, say) leaks in.
 */
export interface CliPlace {
  cwd: string;
  env: Record<string, string>;
}

const baseEnv = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' });

/** Runs `packgate <args>` as a user would, to its end. */
export function runPackgate(place: CliPlace, args: string[]): Promise<CommandResult> {
  return collect(spawn(process.execPath, [PACKGATE_BIN, ...args], spawnOptions(place)));
}

/** Runs `node <args>` in this checkout, with no project variables. */
export function runNode(args: string[]): Promise<CommandResult> {
  return collect(spawn(process.execPath, args, spawnOptions({ cwd: CHECKOUT, env: {} })));
}

/** Runs `npm run -s <script> -- <args>` in this checkout (where its package.json is): the README's form. */
export function runNpmScript(
  env: Record<string, string>,
  script: string,
  args: string[],
): Promise<CommandResult> {
  return collect(spawn('npm', ['run', '-s', script, '--', ...args], spawnOptions({ cwd: CHECKOUT, env })));
}

/** Starts `packgate start`; resolves once it answers 200 on /health. */
export async function startPackgate(place: CliPlace, port: number): Promise<ChildProcess> {
  const server = spawn(process.execPath, [PACKGATE_BIN, 'start'], spawnOptions(place));
  const output: string[] = [];
  server.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`packgate start exited:\n${output.join('')}`);
    const answer = await fetch(`http://127.0.0.1:${port}/health`).catch(() => null);
    if (answer?.status === 200) return server;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  server.kill('SIGKILL');
  throw new Error(`packgate start did not answer /health within 60 s:\n${output.join('')}`);
}

/** SIGTERM, as a process manager sends; resolves once the process has exited. */
export async function stopPackgate(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  server.kill('SIGTERM');
  await exited;
}

function spawnOptions(place: CliPlace): SpawnOptions {
  return { cwd: place.cwd, env: { ...baseEnv(), ...place.env }, stdio: ['ignore', 'pipe', 'pipe'] };
}

// On Node 20 the AWS SDK warns, once per process, that its 2027 releases need Node 22.
const AWS_SDK_NODE_WARNING =
  /\(node:\d+\) Warning: NodeVersionSupportWarning:[\s\S]*?\(Use `node --trace-warnings[^\n]*\n/;

function collect(child: ChildProcess): Promise<CommandResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString().replace(AWS_SDK_NODE_WARNING, ''),
      }),
    );
  });
}
