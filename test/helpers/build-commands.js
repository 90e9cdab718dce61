// Jest global setup: bring the command bundles up to date once (cli/run.mjs), so that tests which run commands in
// copies of the project reuse them rather than each bundling again.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');

module.exports = () => {
  // Copies of the project share the bundles they build (cli/run.mjs), keyed by their sources' contents; the workers
  // inherit the folder. It outlives the run, as jest's transform cache does, so that the next run does not bundle the
  // tests' environments again; the global teardown removes what this run did not use.
  if (!process.env.HELLO_ISTIO_BUNDLE_CACHE) {
    process.env.HELLO_ISTIO_BUNDLE_CACHE = path.join(ROOT, 'node_modules', '.cache', 'hello-istio-bundles');
    fs.mkdirSync(process.env.HELLO_ISTIO_BUNDLE_CACHE, { recursive: true });
    globalThis.helloIstioBundleCache = { dir: process.env.HELLO_ISTIO_BUNDLE_CACHE, since: Date.now() };
  }
  execFileSync(process.execPath, [path.join(ROOT, 'cli', 'run.mjs'), '--build'], { stdio: 'inherit' });
};
