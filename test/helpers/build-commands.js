// Jest global setup: bring the command bundles up to date once (cli/run.mjs), so that tests which run commands in
// copies of the project reuse them rather than each bundling again.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = () => {
  execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'cli', 'run.mjs'), '--build'], { stdio: 'inherit' });
};
