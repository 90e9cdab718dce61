// Runs a command from cli/<name>.ts, fast, always on the current sources: `node cli/run.mjs <command> [args...]`.
//
// Every command is bundled with esbuild, dependencies included, into .build/<command>.cjs, and run in this process
// from V8's code cache. Bundles are rebuilt, all at once, only when something they are made of changed (the sources'
// paths, sizes and modification times, the lock file, this file); a run usually loads one file and compiles next to
// nothing. `node cli/run.mjs --build` only brings the bundles up to date.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
/** What the bundles are made of (cli/ includes this file), besides node_modules (whose versions the lock file fixes). */
const SOURCES = ['config', 'kube', 'inject', 'analyze', 'validate', 'pod-security', 'cdk8s', 'cdktf', 'pipeline', 'review', 'cli', 'imports', 'schemas', 'package-lock.json'];

/** The commands: cli/<command>.ts, each behind an npm script. */
const COMMANDS = ['analyze', 'deploy', 'destroy', 'diff', 'kube-inject', 'render', 'schemas', 'synth'];

const [name, ...args] = process.argv.slice(2);
if (name !== '--build' && !COMMANDS.includes(name)) {
  process.stderr.write(`usage: node cli/run.mjs <command> [args...] | --build; commands: ${COMMANDS.join(', ')}\n`);
  process.exit(2);
}
const build = join(root, '.build');
const stamp = join(build, 'sources.stamp');
const fingerprint = sourcesFingerprint();
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== fingerprint) await rebuild();
if (name !== '--build') run(join(build, `${name}.cjs`), join(build, `${name}.v8cache`));

function sourcesFingerprint() {
  const hash = createHash('sha1').update(process.version);
  // Paths relative to the project, so that a copy of the project with its .build/ and timestamps needs no rebuild.
  const add = (path) => {
    const { size, mtimeMs, isDirectory } = statOf(join(root, path));
    if (isDirectory) for (const entry of readdirSync(join(root, path)).sort()) add(join(path, entry));
    else hash.update(`${path}\0${size}\0${mtimeMs}\n`);
  };
  for (const source of SOURCES) if (existsSync(join(root, source))) add(source);
  return hash.digest('hex');
}

function statOf(path) {
  const stat = statSync(path);
  // Whole milliseconds: copying a file with its timestamps keeps no more than that.
  return { size: stat.size, mtimeMs: stat.mtime.getTime(), isDirectory: stat.isDirectory() };
}

async function rebuild() {
  const { build: esbuild } = await import('esbuild');
  // Built beside .build/ and swapped in whole, so that a process running a command never sees half a build.
  const partial = `${build}.${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  await esbuild({
    entryPoints: Object.fromEntries(COMMANDS.map((command) => [command, join(root, 'cli', `${command}.ts`)])),
    outdir: partial,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // A map beside the bundle, read only when HELLO_ISTIO_DEBUG asks for source-mapped stack traces.
    sourcemap: 'linked',
    sourcesContent: false,
    // Less to parse on every run; names are kept, so stack traces stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'error',
  });
  writeFileSync(join(partial, 'sources.stamp'), fingerprint);
  const previous = `${build}.previous.${process.pid}`;
  if (existsSync(build)) renameSync(build, previous);
  renameSync(partial, build);
  rmSync(previous, { recursive: true, force: true });
}

function run(bundle, codeCache) {
  if (process.env.HELLO_ISTIO_DEBUG) process.setSourceMapsEnabled(true);
  const cachedData = existsSync(codeCache) ? readFileSync(codeCache) : undefined;
  const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    // After the run, so that the cache holds every function the command compiled, not only the top level.
    process.once('exit', () => writeAtomically(codeCache, script.createCachedData()));
  }
  const module = new Module(bundle);
  module.filename = bundle;
  module.paths = Module._nodeModulePaths(build);
  process.argv = [process.argv[0], bundle, ...args];
  const require = Module.createRequire(bundle);
  script.runInThisContext()(module.exports, require, module, bundle, build);
}

function writeAtomically(file, data) {
  const partial = `${file}.${process.pid}`;
  writeFileSync(partial, data);
  renameSync(partial, file);
}
