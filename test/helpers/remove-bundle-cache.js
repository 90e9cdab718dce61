// Jest global teardown: remove the shared bundle cache the global setup made (build-commands.js), if it made one.
const fs = require('node:fs');

module.exports = () => {
  if (globalThis.helloIstioBundleCache) fs.rmSync(globalThis.helloIstioBundleCache, { recursive: true, force: true });
};
