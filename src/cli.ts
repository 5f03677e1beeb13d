import { existsSync } from 'node:fs';

interface Command {
  /** One line for `packgate help`. */
  summary: string;
  /** Loaded only when the command is asked for, so each command pays only for the modules it uses. */
  load: () => Promise<{ run(args: string[]): Promise<void> }>;
}

const COMMANDS: Record<string, Command> = {
  start: {
    summary: 'start the server (holds the terminal; Ctrl-C stops it)',
    load: async () => ({ run: (await import('./server.js')).startServer }),
  },
  token: {
    summary: '<email> [--expires-in 1h]  print a development token',
    load: () => import('./scripts/token.js'),
  },
  'users:package': {
    summary: '<email> <package|none> [--reason "…"] [--by <email>]  set a package through the ledger',
    load: () => import('./scripts/users-package.js'),
  },
  'stripe:simulate': {
    summary:
      '<email> <package> | --refund <pi> | --resend <evt|last> | …  send the server a signed Stripe event',
    load: () => import('./scripts/stripe-simulate.js'),
  },
  'stripe:replay': {
    summary: '<evt> | --list  apply a parked payment event (list them)',
    load: () => import('./scripts/stripe-replay.js'),
  },
  'stripe:sync': {
    summary: '--since 72h [--verbose]  apply the events Stripe has and packgate missed',
    load: () => import('./scripts/stripe-sync.js'),
  },
  'db:init': {
    summary: 'create the tables where DYNAMO_ENDPOINT points (idempotent)',
    load: () => import('./scripts/db-init.js'),
  },
};

/**
 * `packgate <command> [arguments]`, as the `packgate` bin and the npm scripts run it: reads .env
 * (variables already in the environment win), then runs the command. A failure prints one line
 * prefixed with the command's name and exits 1.
 */
export async function runCli(argv: string[]): Promise<void> {
  const [name = 'help', ...args] = argv;
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    const known = name === 'help' || name === '--help' || name === '-h';
    (known ? console.log : console.error)(help(known ? null : name));
    if (!known) process.exitCode = 1;
    return;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    const { run } = await command.load();
    await run(args);
  } catch (error) {
    console.error(`${name}: ${(error as Error).message}`);
    process.exit(1);
  }
}

function help(unknown: string | null): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    ...(unknown ? [`packgate: no command ${unknown}`] : []),
    'usage: packgate <command> [arguments]   (npm run -s <command> -- [arguments] runs the same)',
    ...Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`),
  ].join('\n');
}
