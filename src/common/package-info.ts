import { readFileSync } from 'node:fs';

/** packgate's own name and version, from its package.json (two levels up from src/ and from dist/). */
export const PACKAGE_INFO: { readonly name: string; readonly version: string } = (() => {
  const { name, version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return Object.freeze({ name: String(name), version: String(version) });
})();
