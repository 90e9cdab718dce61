import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../pipeline/project-root';

/**
 * What a copy of the project needs to synthesize; node_modules is linked, not copied. The command bundles (.build/)
 * are copied with every timestamp kept, so the copy runs them as they are instead of bundling again (cli/run.mjs).
 */
const SOURCES = [
  'package.json', 'package-lock.json', 'cdk8s.yaml', 'cdktf.json',
  'config', 'kube', 'inject', 'analyze', 'validate', 'pod-security', 'cdktf', 'cdk8s', 'pipeline', 'review', 'cli', 'imports', 'schemas', 'dist', '.build',
];

/** Copies the project's sources into a new folder under the system temp dir, at a path ending in `name`. */
export function copyProject(name: string): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hello-istio-')), name);
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of SOURCES) {
    const from = path.join(PROJECT_ROOT, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, entry), { recursive: true, preserveTimestamps: true });
  }
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Changes the copy's config/environments.ts: replaces `text` (which must be there) by `replacement`. */
export function plantInConfig(dir: string, text: string, replacement: string): void {
  const file = path.join(dir, 'config', 'environments.ts');
  const source = fs.readFileSync(file, 'utf8');
  if (!source.includes(text)) throw new Error(`config/environments.ts has no ${JSON.stringify(text)}`);
  fs.writeFileSync(file, source.replace(text, replacement));
}

/** Runs `node cli/run.mjs <command>` in a project folder. */
export function runCli(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  // Per-environment project ids of whoever runs the tests stay out of the commands under test.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HELLO_ISTIO_PROJECT_ID')));
  return spawnSync(process.execPath, [path.join(dir, 'cli', 'run.mjs'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...inherited, CHECKPOINT_DISABLE: '1', CDK8S_CHECK_UPGRADE: 'false', ...env },
  });
}

/** Every file under `dir` with its content, keyed by relative path. */
export function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const file = path.join(dir, entry);
    if (fs.statSync(file).isFile()) files.set(entry, fs.readFileSync(file));
  }
  return files;
}
