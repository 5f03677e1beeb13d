#!/usr/bin/env node
// `packgate <command>`: brings dist/ up to date with src/ (only what changed), then runs the command.
import module from 'node:module';
import { freshDist } from './fresh-dist.js';

// Node 22.1+ keeps the compiled code of every module it loads on disk for the next command; Node 20
// has no such cache (this call is skipped there).
module.enableCompileCache?.();

try {
  const started = Date.now();
  const compiled = await freshDist();
  if (compiled > 0)
    console.error(`packgate: compiled ${compiled} changed file(s) in ${Date.now() - started} ms`);
} catch (error) {
  console.error(`packgate: ${error.message}`);
  process.exit(1);
}
const { runCli } = await import('../dist/cli.js');
await runCli(process.argv.slice(2));
