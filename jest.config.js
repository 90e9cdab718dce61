/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Every core: the default leaves one for jest itself, which mostly waits (half the speed on a 2-core machine).
  maxWorkers: '100%',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  globalSetup: '<rootDir>/test/helpers/build-commands.js',
  globalTeardown: '<rootDir>/test/helpers/remove-bundle-cache.js',
  // as in the command bundles: no stack trace captured for every cdktf token
  setupFiles: ['<rootDir>/cdktf/token-stack-traces.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/helpers/buffer-equality.ts'],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
