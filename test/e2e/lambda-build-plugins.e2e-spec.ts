import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
// @ts-expect-error: a plain ES module of the build tools, without types
import { fastifyLazySchemaCompilers, nestLazyTimestamps } from '../../tools/lambda-build-plugins.mjs';

const run = promisify(execFile);

// What the patched modules must still do once bundled: a route schema validates and serializes, and
// Nest's console logger still prints its timestamp.
const SCRIPT = `
import fastify from 'fastify';
import { ConsoleLogger } from '@nestjs/common';
const app = fastify();
app.post('/echo', {
  schema: {
    body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    response: { 200: { type: 'object', properties: { name: { type: 'string' } } } },
  },
}, async (request) => ({ name: request.body.name, dropped: 'by the response schema' }));
const bad = await app.inject({ method: 'POST', url: '/echo', payload: {} });
const good = await app.inject({ method: 'POST', url: '/echo', payload: { name: 'x' } });
console.log(JSON.stringify({ bad: bad.statusCode, good: good.statusCode, body: good.json() }));
new ConsoleLogger('Check').log('with a timestamp');
`;

/** The Lambda bundle's esbuild plugins that defer dependencies' start-up work (tools/lambda-build-plugins.mjs). */
describe('the Lambda build plugins', () => {
  const dir = mkdtempSync(join(tmpdir(), 'packgate-plugins-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keep Fastify route schemas and Nest console timestamps working once bundled', async () => {
    await build({
      stdin: { contents: SCRIPT, resolveDir: process.cwd(), loader: 'js' },
      outfile: join(dir, 'check.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'error',
      plugins: [fastifyLazySchemaCompilers, nestLazyTimestamps],
      external: ['@nestjs/microservices', '@nestjs/websockets', 'class-transformer', 'class-validator'],
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
    // Patched, not merely bundled: the compilers are required on first use, the formatter made on first use.
    const bundled = readFileSync(join(dir, 'check.mjs'), 'utf8');
    expect(bundled).toContain('ValidatorSelectorMade ??= require_ajv_compiler()');
    expect(bundled).toContain('made ??= new Intl.DateTimeFormat(locales, options)');
    const { stdout } = await run(process.execPath, [join(dir, 'check.mjs')], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
    });
    const [answers, logged] = stdout.trim().split('\n');
    expect(JSON.parse(answers)).toEqual({ bad: 400, good: 200, body: { name: 'x' } });
    // Nest's format: "[Nest] <pid>  - <date>, <time>     LOG [Check] with a timestamp".
    expect(logged).toMatch(/^\[Nest\] \d+ {2}- \S+.*\d{1,2}:\d{2}:\d{2}.* LOG \[Check\] with a timestamp$/);
  }, 60_000);
});
