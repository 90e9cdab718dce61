import { defineConfig } from 'vitest/config';

/** Test files that replace a module (vi.mock), which a shared module registry cannot: each in one of its own. */
const ISOLATED = ['test/analyze/synth-gate.test.ts'];

export default defineConfig({
  test: {
    globals: true,
    // Every core: the default leaves one for vitest itself, which mostly waits (half the speed on a 2-core machine).
    maxWorkers: '100%',
    // Child processes rather than threads: the commands under test may exit or change the working directory.
    pool: 'forks',
    globalSetup: ['test/helpers/global-setup.ts'],
    // as in the command bundles: no stack trace captured for every cdktf token
    setupFiles: ['cdktf/token-stack-traces.ts', 'test/helpers/buffer-equality.ts'],
    // Tests that run commands in copies of the project bundle the commands first when the bundle cache is cold.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // the TypeScript each worker is given, transformed once and kept between runs (node_modules/.experimental-vitest-cache)
    experimental: { fsModuleCache: true },
    snapshotFormat: { escapeString: false, printBasicPrototype: false },
    projects: [
      {
        extends: true,
        // The other test files share each worker's modules (cdktf, cdk8s, the schemas' validators...) instead of
        // loading them again for every file, which was most of the suite's time; none of them changes a module.
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ISOLATED, isolate: false },
      },
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } },
    ],
  },
});
