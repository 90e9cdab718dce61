#!/usr/bin/env node
// Runs a command from cli/<name>.ts, fast, always on the current sources: `node cli/run.mjs <command> [args...]`
// (or `cli/run.mjs <command>`): what the npm scripts run, without npm's own start-up.
//
// A command is bundled with esbuild, dependencies included, into .build/<command>.cjs and run in this process from
// V8's code cache. Only the command being run is rebuilt, and only when something it may be made of changed (the
// sources' paths, sizes and modification times, the lock file, this file); a run usually reads one file and compiles
// next to nothing. The code cache is kept per set of V8 flags (V8 rejects a cache made under other flags), so that
// switching flags does not throw the cache away. `node cli/run.mjs --build` brings every bundle up to date.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { isAscii } from 'node:buffer';
import Module from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
/**
 * What the bundles are made of (cli/ includes this file), besides node_modules (whose versions the lock file fixes);
 * test copies of the project read the same list (test/helpers/project-copy.ts).
 */
const SOURCES = JSON.parse(readFileSync(join(root, 'cli', 'bundle-sources.json'), 'utf8'));

/** The commands, cli/<command>.ts each; adding one is adding its line here (and an npm script, if wanted). */
const COMMANDS = {
  analyze: 'schema validation and the mesh analyzer on any manifests',
  deploy: 'synthesize with the real project ids into .deploy/ and cdktf deploy there',
  destroy: 'tear environments down: the mesh stack, then the cluster',
  diff: 'what npm run synth would change in dist/, object by object',
  'kube-inject': 'istioctl kube-inject (Istio 1.29, 1.30, 1.31) on any manifests',
  precheck: "offline checks of each environment's Istio releases before an upgrade",
  render: "one environment's Kubernetes output with a traffic preset, on stdout",
  schemas: 'regenerate schemas/ from ../shared/reference',
  synth: 'both apps, every environment, into dist/',
};

const [name, ...args] = process.argv.slice(2);
if (name !== '--build' && !Object.hasOwn(COMMANDS, name ?? '')) {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const list = Object.entries(COMMANDS)
    .map(([command, what]) => `  ${command.padEnd(width)}  ${what}`)
    .join('\n');
  const help = name === '--help' || name === '-h';
  (help ? process.stdout : process.stderr).write(
    `${help ? '' : name ? `error: no command "${name}"\n` : ''}usage: node cli/run.mjs <command> [options]   (<command> --help for its options)\n\n${list}\n`,
  );
  process.exit(help ? 0 : 2);
}
const build = join(root, '.build');
const debug = Boolean(process.env.HELLO_ISTIO_DEBUG);
/** The shared cache's folder for these sources (sharedCacheDir), once worked out. */
let sharedCache;
const fingerprint = sourcesFingerprint();
if (name === '--build') {
  // one esbuild run for every command out of date (it costs little more than one command's)
  await bundle(Object.keys(COMMANDS).filter((command) => !upToDate(command) && !fromSharedCache(command)));
  // copies sharing a cache share their code caches too (a first run makes one)
  if (!sharedCacheDir()) await warmUp(Object.keys(COMMANDS).filter((command) => !existsSync(codeCacheOf(command))));
} else {
  if (!upToDate(name) && !fromSharedCache(name)) await bundle([name]);
  run(name);
}

/**
 * Copies of the project (as the tests make, many with the same sources) share the bundles they build through the
 * folder HELLO_ISTIO_BUNDLE_CACHE, keyed by the sources' contents: a copy takes a bundle that another built from the
 * same sources instead of bundling again.
 */
function sharedCacheDir() {
  const cache = process.env.HELLO_ISTIO_BUNDLE_CACHE;
  if (!cache || debug) return undefined;
  if (sharedCache === undefined) {
    const hash = createHash('sha1').update(`${process.version}\0`);
    const add = (path) => {
      if (statSync(join(root, path)).isDirectory())
        for (const entry of readdirSync(join(root, path)).sort()) add(join(path, entry));
      else
        hash
          .update(`${path}\0`)
          .update(readFileSync(join(root, path)))
          .update('\0');
    };
    for (const source of SOURCES) if (existsSync(join(root, source))) add(source);
    sharedCache = join(cache, hash.digest('hex'));
  }
  return sharedCache;
}

function fromSharedCache(command) {
  const shared = sharedCacheDir();
  const cached = shared && join(shared, `${command}.cjs`);
  if (cached === undefined || !existsSync(cached)) return false;
  // used: a cache that outlives its users (the tests') keeps what was used lately
  const now = new Date();
  utimesSync(shared, now, now);
  for (const cache of existsSync(build) ? readdirSync(build) : [])
    if (cache.startsWith(`${command}.`) && cache.includes('.v8cache')) rmSync(join(build, cache));
  linkAtomically(cached, join(build, `${command}.cjs`));
  // its code cache too, if a copy made one (after a run of its own), taken as it is
  const codeCache = codeCacheOf(command);
  const sharedCode = join(shared, basename(codeCache));
  if (existsSync(sharedCode)) linkAtomically(sharedCode, codeCache);
  writeAtomically(join(build, `${command}.stamp`), `${fingerprint}${debug ? ' map' : ''}`);
  return true;
}

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

/** A bundle's stamp: the sources it was built from, and whether it has a source map (built for HELLO_ISTIO_DEBUG). */
function upToDate(command) {
  const stamp = join(build, `${command}.stamp`);
  if (!existsSync(stamp) || !existsSync(join(build, `${command}.cjs`))) return false;
  const [built, map] = readFileSync(stamp, 'utf8').split(' ');
  return built === fingerprint && (!debug || map === 'map');
}

/** Bundles `commands` into .build/ (and into the shared cache, if there is one). */
async function bundle(commands) {
  if (commands.length === 0) return;
  const { build: esbuild } = await import('esbuild');
  // Built in a folder of its own, then each file renamed into .build/, so that a process running a command never
  // reads half a bundle; the stamp comes last.
  const partial = join(build, `.partial-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  await esbuild({
    entryPoints: Object.fromEntries(commands.map((command) => [command, join(root, 'cli', `${command}.ts`)])),
    outdir: partial,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // A map only for HELLO_ISTIO_DEBUG (source-mapped stack traces): it costs more than the bundle itself to write.
    sourcemap: debug ? 'linked' : false,
    sourcesContent: false,
    // Less to parse on every run; names are kept, so stack traces stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'error',
  });
  const shared = sharedCacheDir();
  if (shared)
    for (const command of commands)
      writeAtomically(join(shared, `${command}.cjs`), readFileSync(join(partial, `${command}.cjs`)));
  for (const command of commands) {
    for (const cache of readdirSync(build))
      if (cache.startsWith(`${command}.`) && cache.includes('.v8cache')) rmSync(join(build, cache));
    for (const file of readdirSync(partial))
      if (file.startsWith(`${command}.cjs`)) renameSync(join(partial, file), join(build, file));
    writeAtomically(join(build, `${command}.stamp`), `${fingerprint}${debug ? ' map' : ''}`);
  }
  rmSync(partial, { recursive: true, force: true });
}

/** V8 accepts a code cache only from a process with the same flags: one cache per set of flags. */
function codeCacheOf(command) {
  const flags = createHash('sha1')
    .update(`${process.execArgv.join(' ')}\0${process.env.NODE_OPTIONS ?? ''}`)
    .digest('hex')
    .slice(0, 12);
  return join(build, `${command}.${flags}.v8cache`);
}

/**
 * A first code cache for each command, from a run of `<command> --help` (which loads every module), so that a fresh
 * checkout or a copy of the project (as the tests make) does not compile a whole bundle on its first run. Marked as a
 * warm-up: the first real run replaces it with one that holds the functions it compiled too.
 */
async function warmUp(commands) {
  await Promise.all(
    commands.map(
      (command) =>
        new Promise((resolve) =>
          spawn(process.execPath, [fileURLToPath(import.meta.url), command, '--help'], {
            stdio: 'ignore',
            env: { ...process.env, HELLO_ISTIO_WARM_UP: '1' },
          }).on('exit', resolve),
        ),
    ),
  );
}

function run(command) {
  const bundleFile = join(build, `${command}.cjs`);
  const codeCache = codeCacheOf(command);
  const warmUpMark = `${codeCache}.warm-up`;
  if (debug) process.setSourceMapsEnabled(true);
  const cachedData = existsSync(codeCache) ? readFileSync(codeCache) : undefined;
  // An ASCII bundle (esbuild escapes what it can) is read as Latin-1: the same text, decoded several times faster
  // than UTF-8, and a one-byte string for V8.
  const bytes = readFileSync(bundleFile);
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const script = new Script(Module.wrap(source), { filename: bundleFile, cachedData });
  const warmingUp = Boolean(process.env.HELLO_ISTIO_WARM_UP);
  if (!cachedData || script.cachedDataRejected || (!warmingUp && existsSync(warmUpMark))) {
    // After the run, so that the cache holds every function the command compiled, not only the top level.
    process.once('exit', () => {
      const data = script.createCachedData();
      writeAtomically(codeCache, data);
      const shared = warmingUp ? undefined : sharedCacheDir();
      if (shared !== undefined && existsSync(join(shared, `${command}.cjs`)))
        writeAtomically(join(shared, basename(codeCache)), data);
      if (warmingUp) writeFileSync(warmUpMark, '');
      else rmSync(warmUpMark, { force: true });
    });
  }
  const module = new Module(bundleFile);
  module.filename = bundleFile;
  module.paths = Module._nodeModulePaths(build);
  process.argv = [process.argv[0], bundleFile, ...args];
  const require = Module.createRequire(bundleFile);
  script.runInThisContext()(module.exports, require, module, bundleFile, build);
}

/**
 * `file` as a hard link to `source` (a copy where no link can be made), renamed into place: both folders only ever
 * have files renamed over, never written in place, so the two names stay independent.
 */
function linkAtomically(source, file) {
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}`;
  rmSync(partial, { force: true });
  try {
    linkSync(source, partial);
  } catch {
    copyFileSync(source, partial);
  }
  renameSync(partial, file);
}

function writeAtomically(file, data) {
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}`;
  writeFileSync(partial, data);
  renameSync(partial, file);
}
