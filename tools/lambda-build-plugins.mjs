// esbuild plugins of the Lambda bundle (tools/build-lambda.mjs): what a cold start would do for nothing.
import { readFile } from 'node:fs/promises';

/**
 * zod's `z` namespace re-exports its 40-odd translations of error messages (260 KB of the bundle);
 * packgate uses the English one zod sets by default, so the others are left out (`z.locales.en` only).
 */
export const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer)
        ? { path: 'zod-locales', namespace: 'zod-english-only', pluginData: args.resolveDir }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: "export { default as en } from '../locales/en.js';",
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};

const NEST_FORMATTER = 'const dateTimeFormatter = new Intl.DateTimeFormat(';
const LAZY_FORMATTER =
  'const dateTimeFormatter = ((locales, options) => { let made; ' +
  'return { format: (date) => (made ??= new Intl.DateTimeFormat(locales, options)).format(date) }; })(';

/**
 * Nest's two console loggers each make an Intl.DateTimeFormat when their module loads, which loads
 * ICU's locale and time zone data: 15-50 ms of a cold start here, for timestamps packgate never prints
 * (its logs go through pino). Made on first use instead; the build fails if Nest's code has changed.
 */
export const nestLazyTimestamps = {
  name: 'nest-lazy-timestamps',
  setup(build) {
    build.onLoad(
      { filter: /[\\/]@nestjs[\\/]common[\\/]services[\\/](console-)?logger\.service\.js$/ },
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (source.split(NEST_FORMATTER).length !== 2) {
          throw new Error(`${args.path}: expected one "${NEST_FORMATTER}" (has @nestjs/common changed?)`);
        }
        return { contents: source.replace(NEST_FORMATTER, LAZY_FORMATTER), loader: 'js' };
      },
    );
  },
};
