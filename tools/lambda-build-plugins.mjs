// esbuild plugins of the Lambda bundle (tools/build-lambda.mjs): what a cold start would do for nothing.
import { readFile, writeFile } from 'node:fs/promises';

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

/**
 * An ES-module import of `node:http` (static, or the AWS SDK's `await import('node:http')`) makes Node
 * build its ES-module facade, which reads every export:
 * on Node 22 and later that includes the lazy `WebSocket`, `MessageEvent` and `CloseEvent`, which
 * load undici, Node's fetch (10-20 ms of a cold start on Node 24). Through `require` the exports are
 * only read when used, and packgate never uses those three.
 */
export const httpThroughRequire = {
  name: 'http-through-require',
  setup(build) {
    build.onResolve({ filter: /^(node:)?https?$/ }, (args) =>
      args.kind === 'import-statement' || args.kind === 'dynamic-import'
        ? { path: args.path.replace(/^(node:)?/, 'node:'), namespace: 'http-through-require' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'http-through-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

const SCHEMA_COMPILERS = {
  '@fastify/ajv-compiler': 'fastify-ajv-compiler.cjs',
  '@fastify/fast-json-stringify-compiler': 'fastify-fast-json-stringify-compiler.cjs',
};

/**
 * With {@link fastifyLazySchemaCompilers}, ajv and fast-json-stringify's compiler (ajv, ajv-formats,
 * fast-uri: about 280 KB) still sat in a chunk a cold start loads, so V8 parsed them at every start.
 * Their requires point to files of their own instead (see {@link buildSchemaCompilers}), beside the
 * chunks, read only when a route with a schema is first compiled.
 */
export const schemaCompilersApart = {
  name: 'schema-compilers-apart',
  setup(build) {
    const names = Object.keys(SCHEMA_COMPILERS).map((name) => name.replace('/', '\\/'));
    build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({
      path: `./${SCHEMA_COMPILERS[args.path]}`,
      external: true,
    }));
  },
};

/** The files {@link schemaCompilersApart} points to: one CommonJS bundle of both, and a file for each. */
export async function buildSchemaCompilers(build, outDir, options = {}) {
  const modules = Object.keys(SCHEMA_COMPILERS);
  await build({
    stdin: {
      contents: `module.exports = [${modules.map((name) => `require('${name}')`).join(', ')}];`,
      resolveDir: process.cwd(),
      loader: 'js',
    },
    outfile: `${outDir}/fastify-schema-compilers.cjs`,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    ...options,
  });
  await Promise.all(
    modules.map((name, index) =>
      writeFile(
        `${outDir}/${SCHEMA_COMPILERS[name]}`,
        `module.exports = require('./fastify-schema-compilers.cjs')[${index}];\n`,
      ),
    ),
  );
}

/**
 * rxjs's `node` export is CommonJS (167 KB, all of it run at start, since esbuild cannot leave out
 * what a CommonJS module does not use); its ES-module build lets esbuild keep only the operators Nest
 * imports.
 */
export const rxjsModules = {
  name: 'rxjs-modules',
  setup(build) {
    build.onResolve({ filter: /^rxjs(\/operators)?$/ }, async (args) => {
      if (args.pluginData === 'rxjs-modules') return undefined;
      const cjs = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: 'rxjs-modules',
      });
      if (cjs.errors.length > 0 || !/[\\/]dist[\\/]cjs[\\/]/.test(cjs.path)) {
        throw new Error(
          `rxjs: expected its CommonJS build for ${args.path}, got ${cjs.path} (has rxjs changed?)`,
        );
      }
      return { path: cjs.path.replace(/([\\/])dist[\\/]cjs[\\/]/, '$1dist$1esm$1') };
    });
  },
};
