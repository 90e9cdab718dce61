/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Every core: the default leaves one for jest itself, which mostly waits (half the speed on a 2-core machine).
  maxWorkers: '100%',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  globalSetup: '<rootDir>/test/helpers/build-commands.js',
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
