// Native ESM jest (run with --experimental-vm-modules); @swc/jest compiles TypeScript with legacy
// decorators and decorator metadata, which Nest's injection by type relies on.
const swc = ['@swc/jest', { swcrc: true }];
// cookie@2 and content-disposition@3 are ESM-only but light-my-request (behind app.inject()) and
// @fastify/static (behind Swagger UI) require() them, which jest's own module loader cannot do for ESM
// on Node 20 (Node itself can): compile them to CommonJS.
const esmToCjs = ['@swc/jest', { swcrc: false, module: { type: 'commonjs' } }];

const ESM_ONLY_REQUIRED = '/node_modules/(cookie|content-disposition)/';

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': swc, [ESM_ONLY_REQUIRED + '.+\\.js$']: esmToCjs },
  transformIgnorePatterns: ['/node_modules/(?!(cookie|content-disposition)/)'],
  testEnvironment: 'node',
};

export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      testTimeout: 30000,
    },
  ],
};
