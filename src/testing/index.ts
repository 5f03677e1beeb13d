/** packgate/testing: what the e2e tests of an app built on packgate need. */
export { createTestCaller, TEST_KIT_STAFF, type TestCaller, type TestCallerOptions } from './test-caller.js';
export { startTestApp, type TestAppOptions } from './test-app.js';
export { startSecretsManagerStandIn, type SecretsManagerStandIn } from './secrets-manager-stand-in.js';
