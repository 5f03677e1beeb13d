// Native ESM jest (run with --experimental-vm-modules); @swc/jest compiles TypeScript with legacy
// decorators and decorator metadata, which Nest's injection by type relies on.
const swc = ['@swc/jest', { swcrc: true }];
// cookie@2 is ESM-only but light-my-request (behind app.inject()) require()s it, which jest's own
// module loader cannot do for ESM on Node 20: compile it to CommonJS.
const cookieToCjs = ['@swc/jest', { swcrc: false, module: { type: 'commonjs' } }];

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': swc, '/node_modules/cookie/.+\\.js$': cookieToCjs },
  transformIgnorePatterns: ['/node_modules/(?!cookie/)'],
  testEnvironment: 'node',
};

export default {
  // Jest's default, one worker fewer than the cores, runs the suite in band on 2 cores, where much of
  // its time is waiting (child processes, sockets, clocks). On this 2-core machine, busy with other
  // work: 328 s in band, 232 s with 2 workers; 3 workers were no faster (191 s against 173-180 s).
  maxWorkers: '100%',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/infra/test/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      // The example app imports packgate through its package exports: dist/, built by `npm test` first.
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts', '<rootDir>/examples/*/test/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-timeout.ts'],
      // One DynamoDB Local per jest worker for the whole run, instead of one per file.
      globalSetup: '<rootDir>/test/support/dynamo-engines.setup.mjs',
      globalTeardown: '<rootDir>/test/support/dynamo-engines.teardown.mjs',
    },
  ],
};
