import { jest } from '@jest/globals';

// Jest 30 takes `testTimeout` from the top-level config only and ignores a project's (jest-circus
// reads globalConfig.testTimeout): the e2e project sets its 30 s per test and hook here instead.
// Unit specs keep jest's 5 s.
jest.setTimeout(30_000);
