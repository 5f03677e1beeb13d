// Jest globalSetup of the e2e project: one in-memory DynamoDB Local per jest worker, started once for
// the whole run instead of once per test file (each start costs ~1.5 s of JVM start-up, and a new
// engine answers its first requests slowly until the JVM has compiled them). Test files pick their
// worker's engine in useTestDynamo(); each app still gets tables of its own, so files never share data.
// Jest loads this file with Node's own loader, which cannot import TypeScript: the engine comes from
// dist/, brought up to date with src/ first (as the packgate commands do).
import { freshDist } from '../../bin/fresh-dist.js';

// How test files (test/support/test-dynamo.ts) find the engines: their endpoints, comma-separated.
const ENDPOINTS_VARIABLE = 'PACKGATE_TEST_DYNAMO_ENDPOINTS';

export default async function startEngines(globalConfig) {
  await freshDist();
  const { LocalDynamoEngine } = await import('../../dist/dynamo/local-engine.js');
  const count = Math.max(1, globalConfig.maxWorkers);
  const engines = await Promise.all(
    Array.from({ length: count }, () => LocalDynamoEngine.start({ dataDir: null, port: 0 })),
  );
  // Read by dynamo-engines.teardown.mjs, which jest runs in this same process.
  globalThis.packgateTestEngines = engines;
  process.env[ENDPOINTS_VARIABLE] = engines.map((engine) => engine.endpoint).join(',');
}
