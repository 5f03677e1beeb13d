import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FRESH_DIST,
  freePort,
  runNode,
  runNpmScript,
  runPackgate,
  startPackgate,
  stopPackgate,
  type CliPlace,
} from '../support/cli-process.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { TEST_DEV_SECRET, uniqueEmail } from '../support/tokens.js';

// Each command is a Node process of its own: on a busy 2-core machine one can take seconds.
const COMMAND_TIMEOUT_MS = 20_000;
const lines = (text: string) => text.trim().split('\n');

// The commands as a developer runs them: `packgate <command>` (the bin, and its npm script aliases)
// in a project folder of its own, next to a server started with `packgate start`.
describe('the packgate command line, next to a running server', () => {
  const dynamo = useTestDynamo();
  let place: CliPlace;
  let server: ChildProcess | undefined;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    const tableName = `cli-${randomUUID()}`;
    place = {
      cwd: await mkdtemp(join(tmpdir(), 'packgate-cli-')),
      env: {
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        HOST: '127.0.0.1',
        DYNAMO_ENDPOINT: dynamo.endpoint,
        DYNAMO_TABLE_NAME: tableName,
        DYNAMO_LEDGER_TABLE_NAME: `${tableName}-ledger`,
      },
    };
    base = `http://127.0.0.1:${port}`;
    const init = await runPackgate(place, ['db:init']);
    expect(init).toMatchObject({ code: 0, stderr: '' });
    const [first, ...created] = lines(init.stdout);
    expect([first, created.pop()]).toEqual([`db:init on ${dynamo.endpoint}`, 'db:init done']);
    // Both tables are set up at once, so their lines come in either order.
    expect(created.sort()).toEqual([`created table ${tableName}`, `created table ${tableName}-ledger`]);
    server = await startPackgate(place, port);
  }, 60_000);
  afterAll(async () => {
    if (server) await stopPackgate(server);
    await rm(place.cwd, { recursive: true, force: true });
  });

  const get = (path: string, token: string) =>
    fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it(
    'token prints a token alone on stdout, one the server accepts',
    async () => {
      const email = uniqueEmail('cli-token');
      const { code, stdout } = await runPackgate(place, ['token', email]);
      expect(code).toBe(0);
      const [token, ...rest] = lines(stdout);
      expect(rest).toEqual([]);
      expect(
        (await fetch(`${base}/users/me`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }))
          .status,
      ).toBe(201);
      expect((await get('/content/pro', token)).status).toBe(402);
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'users:package grants through the ledger: the server answers 200 at once',
    async () => {
      const email = uniqueEmail('cli-staff');
      const granted = await runPackgate(place, ['users:package', email, 'pro', '--reason', 'cli test']);
      expect(granted.code).toBe(0);
      expect(granted.stdout.trim()).toBe(`${email} now has package 2 (pro)`);
      const { stdout: token } = await runPackgate(place, ['token', email]);
      expect((await get('/content/pro', token.trim())).status).toBe(200);
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'stripe:simulate --resend delivers an event again: the webhook answers duplicate',
    async () => {
      const email = uniqueEmail('cli-buyer');
      const bought = await runPackgate(place, ['stripe:simulate', email, 'basic']);
      expect(bought.code).toBe(0);
      expect(bought.stdout.trim()).toMatch(/^pi_sim_\w+$/);
      const [, eventId] = /checkout\.session\.completed (evt_\w+) → 200 /.exec(bought.stderr) ?? [];
      expect(JSON.parse(bought.stderr.slice(bought.stderr.indexOf('{')))).toEqual({
        received: true,
        outcome: 'applied',
      });

      const again = await runPackgate(place, ['stripe:simulate', '--resend', eventId]);
      expect(again).toEqual({
        code: 0,
        stdout: 'duplicate\n',
        stderr: `checkout.session.completed ${eventId} again → 200 {"received":true,"outcome":"duplicate"}\n`,
      });
      const latest = await runPackgate(place, ['stripe:simulate', '--resend', 'last']);
      expect(latest).toEqual(again);
      // What --resend delivers is what was kept: the event that was applied.
      const kept = JSON.parse(
        await readFile(join(place.cwd, '.data/stripe-simulated', `${eventId}.json`), 'utf8'),
      );
      expect(kept).toMatchObject({ id: eventId, data: { object: { client_reference_id: email } } });
      const { stdout: token } = await runPackgate(place, ['token', email]);
      expect((await get('/content/basic', token.trim())).status).toBe(200);
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'stripe:simulate --resend refuses an event it never sent, sending nothing',
    async () => {
      const unknown = await runPackgate(place, ['stripe:simulate', '--resend', 'evt_never_sent']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toBe(
        `stripe:simulate: stripe:simulate has not sent evt_never_sent from this folder (nothing in ${join(place.cwd, '.data/stripe-simulated')})\n`,
      );
      const traversal = await runPackgate(place, ['stripe:simulate', '--resend', '../../etc/passwd']);
      expect(traversal.stderr).toBe('stripe:simulate: expected an event id (evt_…), got ../../etc/passwd\n');
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'stripe:replay --list and stripe:sync work through the same server state',
    async () => {
      const listed = await runPackgate(place, ['stripe:replay', '--list']);
      expect(listed).toMatchObject({ code: 0, stdout: '' });
      expect(lines(listed.stderr).at(-1)).toBe('0 unapplied event(s)');
      const dismissed = await runPackgate(place, [
        'stripe:replay',
        '--dismiss',
        'evt_not_parked',
        '--reason',
        'a test',
      ]);
      expect(dismissed).toEqual({
        code: 1,
        stdout: '',
        stderr: 'stripe:replay: No unapplied event evt_not_parked is parked.\n',
      });
      const reasonless = await runPackgate(place, ['stripe:replay', '--dismiss', 'evt_not_parked']);
      expect(reasonless).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('--dismiss <evt_…> --reason'),
      });
      const synced = await runPackgate(place, ['stripe:sync', '--since', '1h']);
      expect(synced.code).toBe(0);
      expect(synced.stdout.trim()).toMatch(/^\d+ seen, 0 applied, \d+ already applied, 0 parked$/);
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'refuses an unknown command or bad arguments with one line and exit code 1',
    async () => {
      const unknown = await runPackgate(place, ['tokens']);
      expect(unknown.code).toBe(1);
      expect(lines(unknown.stderr)[0]).toBe('packgate: no command tokens');
      expect(unknown.stderr).toContain('stripe:simulate');
      const usage = await runPackgate(place, ['token']);
      expect(usage).toEqual({
        code: 1,
        stdout: '',
        stderr: 'token: usage: npm run -s token -- <email> [--expires-in 1h]\n',
      });
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'the npm scripts are aliases of the same commands',
    async () => {
      const email = uniqueEmail('cli-npm');
      const env = { ...place.env, AUTH_DEV_SECRET: TEST_DEV_SECRET };
      const viaNpm = await runNpmScript(env, 'token', [email]);
      expect(viaNpm.code).toBe(0);
      const [token, ...rest] = lines(viaNpm.stdout);
      expect(rest).toEqual([]);
      expect(token.split('.')).toHaveLength(3);
    },
    COMMAND_TIMEOUT_MS,
  );
});

// `npm start` on a fresh clone: the embedded DynamoDB Local, started while Nest loads, belongs to the
// server and stops with it.
describe('packgate start with the embedded DynamoDB Local', () => {
  it('answers /health, then stops its engine on SIGTERM', async () => {
    const port = await freePort();
    const cwd = await mkdtemp(join(tmpdir(), 'packgate-start-'));
    try {
      const server = await startPackgate(
        { cwd, env: { NODE_ENV: 'development', LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1' } },
        port,
      );
      const endpointFile = join(cwd, '.data/dynamodb/endpoint.json');
      const { endpoint } = JSON.parse(await readFile(endpointFile, 'utf8')) as { endpoint: string };
      // Any HTTP answer means the engine serves (this one is about missing credentials).
      await expect(fetch(endpoint, { method: 'POST' })).resolves.toBeInstanceOf(Response);
      await stopPackgate(server);
      expect(existsSync(endpointFile)).toBe(false);
      await expect(fetch(endpoint, { method: 'POST' })).rejects.toThrow();
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});

// What every command does first: dist/ brought up to date with src/, one changed file at a time.
describe('bin/fresh-dist.js', () => {
  const freshDist = async (root: string) => {
    const script = `const { freshDist } = await import(${JSON.stringify(FRESH_DIST)}); console.log(await freshDist(${JSON.stringify(root)}));`;
    const { code, stdout, stderr } = await runNode(['--input-type=module', '-e', script]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    return Number(stdout);
  };

  it('compiles the sources newer than their output, keeping the decorator metadata Nest injects by', async () => {
    const root = await mkdtemp(join(tmpdir(), 'packgate-fresh-dist-'));
    try {
      await copyFile(fileURLToPath(new URL('../../.swcrc', import.meta.url)), join(root, '.swcrc'));
      await mkdir(join(root, 'src/users'), { recursive: true });
      await writeFile(join(root, 'src/users/clock.ts'), 'export class Clock {}\n');
      await writeFile(
        join(root, 'src/users/users.service.ts'),
        "import { Clock } from './clock.js';\nconst Injectable = (): ClassDecorator => () => undefined;\n" +
          '@Injectable()\nexport class UsersService {\n  constructor(readonly clock: Clock) {}\n}\n',
      );
      await writeFile(join(root, 'src/users/users.service.spec.ts'), 'throw new Error("not compiled");\n');

      expect(await freshDist(root)).toBe(2);
      const service = await readFile(join(root, 'dist/users/users.service.js'), 'utf8');
      expect(service).toMatch(
        /"design:paramtypes",\s*\[\s*(typeof Clock === "undefined" \? Object : )?Clock\s*\]/,
      );
      expect(existsSync(join(root, 'dist/users/users.service.spec.js'))).toBe(false);
      expect(await freshDist(root)).toBe(0);

      const later = new Date(Date.now() + 60_000);
      await utimes(join(root, 'src/users/clock.ts'), later, later);
      expect(await freshDist(root)).toBe(1);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 20_000);
});
