// Jest global setup: bring the command bundles up to date once (cli/run.mjs), so that tests which run commands in
// copies of the project reuse them rather than each bundling again.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = () => {
  // copies of the project made by one test run share the bundles they build (cli/run.mjs); the workers inherit it
  if (!process.env.HELLO_ISTIO_BUNDLE_CACHE) {
    process.env.HELLO_ISTIO_BUNDLE_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'hello-istio-bundles-'));
    globalThis.helloIstioBundleCache = process.env.HELLO_ISTIO_BUNDLE_CACHE; // removed by the global teardown
  }
  execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'cli', 'run.mjs'), '--build'], { stdio: 'inherit' });
};
