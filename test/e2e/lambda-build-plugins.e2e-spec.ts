import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
// @ts-expect-error: a plain ES module of the build tools, without types
import * as plugins from '../../tools/lambda-build-plugins.mjs';

const {
  buildSchemaCompilers,
  fastifyLazySchemaCompilers,
  httpThroughRequire,
  nestLazyTimestamps,
  rxjsModules,
  schemaCompilersApart,
} = plugins;

const run = promisify(execFile);

/** Bundles `script` as the Lambda build does (an ES module that can still require), with `plugins`. */
async function bundle(dir: string, name: string, script: string, plugins: object[], external: string[] = []) {
  const outfile = join(dir, name);
  await build({
    stdin: { contents: script, resolveDir: process.cwd(), loader: 'js' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'error',
    plugins: plugins as never,
    external,
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  return { outfile, code: readFileSync(outfile, 'utf8') };
}

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

  it('keep Fastify route schemas (compilers in files of their own) and Nest console timestamps working once bundled', async () => {
    const { code: bundled } = await bundle(
      dir,
      'check.mjs',
      SCRIPT,
      [fastifyLazySchemaCompilers, schemaCompilersApart, nestLazyTimestamps],
      ['@nestjs/microservices', '@nestjs/websockets', 'class-transformer', 'class-validator'],
    );
    await buildSchemaCompilers(build, dir);
    // Patched, not merely bundled: the compilers are required on first use, from files of their own
    // (ajv is not in the bundle), and the formatter is made on first use.
    expect(bundled).toContain(`ValidatorSelectorMade ??= __require("./fastify-ajv-compiler.cjs")`);
    expect(bundled).not.toContain('ajv-formats');
    expect(readFileSync(join(dir, 'fastify-schema-compilers.cjs'), 'utf8')).toContain('ajv-formats');
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

  it('import node:http through require, statically and dynamically, so Node never builds its ES-module facade', async () => {
    const script = `
      import { STATUS_CODES } from 'node:http';
      import * as https from 'https';
      const http = await import('node:http');
      const { Agent } = http.default ?? http;
      const server = http.createServer((request, response) => response.end(STATUS_CODES[200]));
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      const answer = await new Promise((resolve) => http.get({ port: server.address().port, agent: new Agent() },
        (response) => response.on('data', (chunk) => resolve(String(chunk)))));
      server.close();
      const loaded = process.moduleLoadList.filter((name) => name.includes('undici'));
      console.log(JSON.stringify({ answer, https: typeof https.request, loaded }));
    `;
    const { code: httpBundle } = await bundle(dir, 'http.mjs', script, [httpThroughRequire]);
    expect(httpBundle).not.toMatch(/from\s*"(node:)?https?"|import\("(node:)?http/);
    const { stdout } = await run(process.execPath, [join(dir, 'http.mjs')], { cwd: dir });
    // Without the plugin, Node 22 and later load undici (Node's fetch) while building the facade.
    expect(JSON.parse(stdout)).toEqual({ answer: 'OK', https: 'function', loaded: [] });
  }, 60_000);

  it("take rxjs's ES-module build, of which esbuild keeps only what is imported", async () => {
    const script = `
      import { lastValueFrom, of } from 'rxjs';
      import { map } from 'rxjs/operators';
      console.log(await lastValueFrom(of(1, 2).pipe(map((n) => n * 2))));
    `;
    const { code: rxjsBundle } = await bundle(dir, 'rxjs.mjs', script, [rxjsModules]);
    const modules = rxjsBundle.match(/^\/\/ node_modules\/rxjs\/dist\/\w+\//gm) ?? [];
    expect(new Set(modules)).toEqual(new Set(['// node_modules/rxjs/dist/esm/']));
    // The CommonJS build is 226 modules, all bundled; these three imports need 44 of the ES-module ones.
    expect(modules.length).toBeLessThan(60);
    const { stdout } = await run(process.execPath, [join(dir, 'rxjs.mjs')], { cwd: dir });
    expect(stdout.trim()).toBe('4');
  }, 60_000);
});
