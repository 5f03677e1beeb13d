import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * True when `<root>/dist` holds what `npm run build` (tsc) writes for the current sources: the build
 * info is newer than the tsc settings and every source under src/, and no output was rewritten since
 * (bin/fresh-dist.js recompiles a changed source with swc). `npm test` builds right before jest, so a
 * spec that needs tsc's output can copy dist/ instead of compiling all of src/ again (15 s alone, much
 * longer beside the other specs on 2 cores).
 */
export function isTscBuildCurrent(root: string): boolean {
  const buildInfo = join(root, 'dist', '.tsbuildinfo');
  if (!existsSync(buildInfo)) return false;
  const builtAt = statSync(buildInfo).mtimeMs;
  const notNewer = (file: string) => existsSync(file) && statSync(file).mtimeMs <= builtAt;
  const sources = sourcesUnder(join(root, 'src'));
  const outputOf = (source: string) =>
    join(root, 'dist', relative(join(root, 'src'), source)).replace(/\.ts$/, '.js');
  return (
    [join(root, 'tsconfig.json'), join(root, 'tsconfig.build.json')].every(notNewer) &&
    sources.every((source) => notNewer(source) && notNewer(outputOf(source)))
  );
}

/** The files tsconfig.build.json compiles: src/**.ts but the specs. */
function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return /(?<!\.spec|\.d)\.ts$/.test(entry.name) ? [path] : [];
  });
}
