// Runs a command from cli/<name>.ts: bundles our TypeScript with esbuild (dependencies stay external) and loads it
// in this process. Faster than a TypeScript loader, and it always runs the current sources.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const [name, ...args] = process.argv.slice(2);
if (!name) {
  process.stderr.write('usage: node cli/run.mjs <command> [args...]\n');
  process.exit(2);
}
const outfile = join(root, '.build', `${name}.cjs`);
const partial = `${outfile}.${process.pid}`;
await build({
  entryPoints: [join(root, 'cli', `${name}.ts`)],
  outfile: partial,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'inline',
  // Stack traces need the mappings only; embedding the sources would copy imports/ (1 MB) into every bundle.
  sourcesContent: false,
  logLevel: 'error',
});
renameSync(partial, outfile);
// Source-mapped stack traces cost ~0.2 s of start-up (Node then reads every dependency's maps): only when debugging.
if (process.env.HELLO_ISTIO_DEBUG) process.setSourceMapsEnabled(true);
process.argv = [process.argv[0], outfile, ...args];
createRequire(import.meta.url)(outfile);
