// `npm run test:browser`: pages and /docs in Debian's Chromium, apart from `npm test` (it needs the
// browser installed, and a start of Chromium costs seconds). Same compilation as jest.config.js.
import base from './jest.config.js';

const { displayName: _unit, testMatch: _unitMatch, ...common } = base.projects[0];

export default {
  ...common,
  displayName: 'browser',
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  testTimeout: 30000,
};
