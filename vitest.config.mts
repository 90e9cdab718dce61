import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globals: true,
    include: ['test/**/*.test.ts'],
    // Every core: the default leaves one for vitest itself, which mostly waits (half the speed on a 2-core machine).
    maxWorkers: '100%',
    // Child processes rather than threads: a command run in process exits when its stdout closes (cli/command.ts).
    pool: 'forks',
    // Test files share each worker's modules (cdktf, cdk8s, the schemas' validators...) instead of loading them
    // again for every file, which was most of the suite's time. So no test file may replace a module (vi.mock does
    // not apply to a module another file loaded first: upstream vitest issue #11152); spy on an object instead.
    isolate: false,
    globalSetup: ['test/helpers/global-setup.ts'],
    // as in the command bundles: no stack trace captured for every cdktf token
    setupFiles: ['cdktf/token-stack-traces.ts', 'test/helpers/buffer-equality.ts'],
    // Tests that run commands in copies of the project bundle the commands first when the bundle cache is cold.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // the TypeScript each worker is given, transformed once and kept between runs (node_modules/.experimental-vitest-cache)
    experimental: { fsModuleCache: true },
    snapshotFormat: { escapeString: false, printBasicPrototype: false },
  },
});
