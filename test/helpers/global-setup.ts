// Vitest's global setup, in the main process before the workers start (they inherit its environment): a
// temporary folder for the run, and the command bundles brought up to date once (cli/run.mjs), so that tests which
// run commands in copies of the project reuse them rather than each bundling again. Its teardown removes the folder.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const RUN_FOLDER = /^hello-istio-tests-(\d+)-/;

export default function setup(): () => void {
  const removeTemp = contain(os.tmpdir());
  const pruneBundles = shareBundles();
  execFileSync(process.execPath, [path.join(ROOT, 'cli', 'run.mjs'), '--build'], { stdio: 'inherit' });
  return () => {
    removeTemp();
    pruneBundles();
  };
}

/**
 * Everything the tests and the commands they run put in the system's temp folder (copies of the project, some 60 MB
 * each, cdktf's output folders) goes into one folder of this run's, through TMPDIR, which the workers and their
 * child processes inherit and os.tmpdir() reads. The folders of runs that died before their teardown (their
 * process is gone) are removed here.
 */
function contain(tmp: string): () => void {
  for (const entry of fs.readdirSync(tmp)) {
    const pid = RUN_FOLDER.exec(entry)?.[1];
    if (pid !== undefined && !alive(Number(pid))) fs.rmSync(path.join(tmp, entry), { recursive: true, force: true });
  }
  const folder = fs.mkdtempSync(path.join(tmp, `hello-istio-tests-${process.pid}-`));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = folder;
  return () => {
    fs.rmSync(folder, { recursive: true, force: true });
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  };
}

/**
 * Copies of the project share the bundles they build (cli/run.mjs), keyed by their sources' contents, through
 * HELLO_ISTIO_BUNDLE_CACHE. The folder outlives the run, as a transform cache does, so that the next run does not
 * bundle the tests' environments again; at the end, the bundles this run did not use (cli/run.mjs touches an entry
 * it takes) are removed, so that it holds one run's worth.
 */
function shareBundles(): () => void {
  if (process.env.HELLO_ISTIO_BUNDLE_CACHE) return () => {};
  const dir = path.join(ROOT, 'node_modules', '.cache', 'hello-istio-bundles');
  fs.mkdirSync(dir, { recursive: true });
  process.env.HELLO_ISTIO_BUNDLE_CACHE = dir;
  const since = Date.now();
  return () => {
    for (const entry of fs.readdirSync(dir)) {
      const used = path.join(dir, entry);
      // a second's slack: some file systems keep modification times to the second
      if (fs.statSync(used).mtimeMs < since - 1000) fs.rmSync(used, { recursive: true, force: true });
    }
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
