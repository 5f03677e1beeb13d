import { readFileSync } from 'node:fs';

declare const PACKGATE_PACKAGE: { name: string; version: string } | undefined;

/**
 * packgate's own name and version: written into the Lambda bundle when it is built (no package.json
 * travels with it), else read from package.json two levels up from src/ and from dist/.
 */
export const PACKAGE_INFO: { readonly name: string; readonly version: string } = (() => {
  if (typeof PACKGATE_PACKAGE !== 'undefined') return Object.freeze({ ...PACKGATE_PACKAGE });
  try {
    const { name, version } = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    );
    return Object.freeze({ name: String(name), version: String(version) });
  } catch {
    // A copy of dist/ placed elsewhere (a test's build): the pages say so rather than fail to start.
    return Object.freeze({ name: 'packgate', version: 'unknown' });
  }
})();
