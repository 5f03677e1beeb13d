import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, type CreateAppOptions } from '../../src/app.factory.js';
import { createTestTable, testEnv } from './test-app.js';
import type { TestDynamo } from './test-dynamo.js';

export type LogLine = Record<string, unknown>;

export interface LoggedTestApp {
  app: NestFastifyApplication;
  /** Every JSON line the app wrote, as written (for "this value never appears" checks). */
  raw: string[];
  /** The same lines, parsed. */
  lines(): LogLine[];
  /** The access log lines (`msg: 'request'`). */
  accessLines(): LogLine[];
  close(): Promise<void>;
}

/** A test app (createApp, a fresh table) whose log lines, from LOG_LEVEL=info up, are kept in memory. */
export async function createLoggedTestApp(
  dynamo: TestDynamo,
  overrides: Record<string, string> = {},
  imports: CreateAppOptions['imports'] = [],
): Promise<LoggedTestApp> {
  const raw: string[] = [];
  const env = testEnv(dynamo, await createTestTable(dynamo), { LOG_LEVEL: 'info', ...overrides });
  const app = await createApp({
    env,
    shutdownHooks: false,
    imports,
    logDestination: { write: (line: string) => void raw.push(line) },
  });
  await app.getHttpAdapter().getInstance().ready();
  const lines = () => raw.map((line) => JSON.parse(line) as LogLine);
  return {
    app,
    raw,
    lines,
    accessLines: () => lines().filter((line) => line.msg === 'request'),
    close: () => app.close(),
  };
}
