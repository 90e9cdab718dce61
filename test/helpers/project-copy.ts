import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PLACEHOLDER_PROJECT_ID, type EnvironmentInput } from '../../config';
import { PROJECT_ROOT } from '../../pipeline/project-root';
import BUNDLE_SOURCES from '../../cli/bundle-sources.json';

/**
 * What a copy of the project needs to synthesize: what the command bundles are made of (cli/run.mjs reads the same
 * list), the project's own files and the committed output; node_modules is linked, not copied. The command bundles
 * (.build/) are hard-linked, timestamps and all, so the copy runs them as they are instead of bundling again.
 */
const SOURCES = [...BUNDLE_SOURCES, 'package.json', 'cdk8s.yaml', 'cdktf.json', 'README.md', 'dist'];
/**
 * Sources hard-linked rather than copied: the generated schemas (7.6 MB, most of a copy), which `npm run schemas`
 * replaces by renaming new files over them, never writing one in place, so a copy's run leaves the project's alone.
 */
const LINKED = new Set(['schemas']);

/**
 * Copies the project's sources into a new folder under the system temp dir, at a path ending in `name`. With
 * `environments`, they replace the copy's config/environments.ts, so that commands run on environments the test owns
 * (a command is then bundled again on its first run in the copy, or taken from the bundle another copy with the same
 * sources built: cli/run.mjs's shared cache); the copy's dist/ is still the committed one.
 * @default environments - the project's own
 */
export function copyProject(name: string, environments?: readonly EnvironmentInput[]): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hello-istio-')), name);
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of SOURCES) {
    const from = path.join(PROJECT_ROOT, entry);
    if (!fs.existsSync(from)) continue;
    if (LINKED.has(entry)) linkTree(from, path.join(dir, entry));
    else fs.cpSync(from, path.join(dir, entry), { recursive: true, preserveTimestamps: true });
  }
  linkBundles(path.join(PROJECT_ROOT, '.build'), path.join(dir, '.build'));
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  if (environments) writeEnvironments(dir, environments);
  return dir;
}

/**
 * The command bundles and code caches (.build/, some 50 MB), hard-linked rather than copied: cli/run.mjs replaces a
 * file there by renaming a new one over it, never writes one in place, so a copy's runs leave the project's alone.
 * Copied where a link cannot be made (another file system).
 */
function linkBundles(from: string, to: string): void {
  if (!fs.existsSync(from)) return;
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    // files only: a folder there is a running build's partial one
    if (entry.isFile()) linkOrCopy(path.join(from, entry.name), path.join(to, entry.name));
  }
}

/** Hard-links every file under `from` into `to`, copying where a link cannot be made (another file system). */
function linkTree(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const [source, target] = [path.join(from, entry.name), path.join(to, entry.name)];
    if (entry.isDirectory()) linkTree(source, target);
    else linkOrCopy(source, target);
  }
}

function linkOrCopy(source: string, target: string): void {
  try {
    fs.linkSync(source, target);
  } catch {
    fs.cpSync(source, target, { preserveTimestamps: true });
  }
}

/** Replaces the copy's config/environments.ts by one that lists `environments`. */
export function writeEnvironments(dir: string, environments: readonly EnvironmentInput[]): void {
  fs.writeFileSync(
    path.join(dir, 'config', 'environments.ts'),
    [
      "// Written by the tests' copyProject: the environments this copy of the project synthesizes.",
      "import type { EnvironmentInput } from './schema';",
      '',
      `export const PLACEHOLDER_PROJECT_ID = ${JSON.stringify(PLACEHOLDER_PROJECT_ID)};`,
      '',
      `export const ENVIRONMENTS: readonly EnvironmentInput[] = ${JSON.stringify(environments, null, 2)};`,
      '',
    ].join('\n'),
  );
}

/** Runs `node cli/run.mjs <command>` in a project folder. */
export function runCli(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  // Per-environment project ids of whoever runs the tests stay out of the commands under test.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('HELLO_ISTIO_PROJECT_ID')),
  );
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
