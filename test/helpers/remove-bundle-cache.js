// Jest global teardown: from the shared bundle cache the global setup chose (build-commands.js), remove the bundles
// this run did not use (cli/run.mjs touches an entry it takes), so that the cache holds one run's worth.
const fs = require('node:fs');
const path = require('node:path');

module.exports = () => {
  const cache = globalThis.helloIstioBundleCache;
  if (!cache) return;
  for (const entry of fs.readdirSync(cache.dir)) {
    const dir = path.join(cache.dir, entry);
    // a second's slack: some file systems keep modification times to the second
    if (fs.statSync(dir).mtimeMs < cache.since - 1000) fs.rmSync(dir, { recursive: true, force: true });
  }
};
