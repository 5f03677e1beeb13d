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

const FASTIFY_COMPILERS = [
  ['ValidatorSelector', '@fastify/ajv-compiler', 'buildValidator'],
  ['SerializerSelector', '@fastify/fast-json-stringify-compiler', 'buildSerializer'],
];

/**
 * Fastify loads ajv and fast-json-stringify (about 250 KB with their dependencies) when it is created,
 * to compile route schemas; packgate's routes have none (zod validates bodies), so a cold start would
 * run that code for nothing. Each is required on first use instead, as the same pooled compiler; a
 * route with a schema (a plugin's) still gets it. The build fails if Fastify's code has changed.
 */
export const fastifyLazySchemaCompilers = {
  name: 'fastify-lazy-schema-compilers',
  setup(build) {
    build.onLoad({ filter: /[\\/]fastify[\\/]lib[\\/]schema-controller\.js$/ }, async (args) => {
      let source = await readFile(args.path, 'utf8');
      for (const [selector, module, factory] of FASTIFY_COMPILERS) {
        const eager =
          `    const ${selector} = require('${module}')\n` +
          `    compilersFactory.${factory} = ${selector}()\n`;
        if (source.split(eager).length !== 2) {
          throw new Error(`${args.path}: expected one "${eager.trim()}" (has fastify changed?)`);
        }
        const lazy =
          `    let ${selector}Made\n` +
          `    compilersFactory.${factory} = (...args) => (${selector}Made ??= require('${module}')())(...args)\n`;
        source = source.replace(eager, lazy);
      }
      return { contents: source, loader: 'js' };
    });
  },
};
