// Brings dist/ up to date with src/ before a command runs, compiling only the sources changed since
// their output was written. swc (the compiler the tests run under) takes ~50 ms for all of src/ where
// even a no-change incremental tsc takes 4-8 s here: it parses every declaration file before it can
// say that nothing changed. Types are checked by `npm run typecheck` (part of `npm test`), and
// `npm run build` (tsc) still writes the complete dist/ with declaration files for the package exports.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Compiles every src/**.ts (specs excepted) whose dist/**.js is missing or older; returns how many. */
export async function freshDist(root = ROOT) {
  const srcDir = join(root, 'src');
  // An installed copy of packgate ships dist/ alone: there is nothing to compare it with.
  if (!existsSync(srcDir)) return 0;
  const stale = sourcesOf(srcDir).filter((source) => {
    const output = outputOf(root, source);
    return !existsSync(output) || statSync(output).mtimeMs < statSync(source).mtimeMs;
  });
  if (stale.length === 0) return 0;
  const swc = await import('@swc/core').catch(() => {
    throw new Error(`dist/ is older than src/ and @swc/core is not installed: run npm run build`);
  });
  await Promise.all(
    stale.map(async (source) => {
      const { code } = await swc.transformFile(source, { cwd: root, swcrc: true });
      const output = outputOf(root, source);
      mkdirSync(dirname(output), { recursive: true });
      // Write, then rename: a server starting meanwhile never imports half a file.
      const partial = `${output}.${process.pid}.tmp`;
      writeFileSync(partial, code);
      renameSync(partial, output);
    }),
  );
  return stale.length;
}

function sourcesOf(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesOf(path);
    return /(?<!\.spec|\.d)\.ts$/.test(entry.name) ? [path] : [];
  });
}

function outputOf(root, source) {
  return join(root, 'dist', relative(join(root, 'src'), source)).replace(/\.ts$/, '.js');
}

// `node bin/fresh-dist.js`: what the bench scripts run before they import dist/.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const compiled = await freshDist();
  if (compiled > 0) console.error(`compiled ${compiled} changed file(s) in ${Date.now() - started} ms`);
}
