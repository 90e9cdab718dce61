// `npm run bench`: measures the performance targets of issue 9 on this machine and writes BENCHMARKS.md.
//
// Each command runs in a fresh process, a few times after a warm-up; the table reports min, median and max wall time.
// Synthesis runs in a copy of the project, so the checkout's dist/ is never written; the scale mesh stays in memory.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../pipeline/project-root';
import { copyProject } from '../test/helpers/project-copy';

/** min, median and max of a series, in seconds. */
interface Summary {
  readonly runs: number;
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

interface Row {
  readonly measure: string;
  readonly target: string;
  readonly summary: Summary;
  /** Whether the target is met, judged on the median. */
  readonly met: boolean;
  readonly note?: string;
}

// The committed configuration, whatever this shell sets, and no update checks.
const { HELLO_ISTIO_PROJECT_ID: _unset, ...inherited } = process.env;
const ENV = { ...inherited, CHECKPOINT_DISABLE: '1', CDK8S_CHECK_UPGRADE: 'false' };

/** Runs `command` `warmup + runs` times in `cwd`; returns the wall times of the measured runs, in seconds. */
function time(command: string, cwd: string, runs: number, warmup: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync('sh', ['-c', command], { cwd, env: ENV, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (run.status !== 0) throw new Error(`\`${command}\` failed (exit ${run.status}):\n${run.stderr}`);
    if (i >= warmup) times.push(seconds);
  }
  return times;
}

function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { runs: sorted.length, min: sorted[0], median, max: sorted[sorted.length - 1] };
}

interface ScaleRun {
  readonly objects: number;
  readonly stages: Record<'construct' | 'synthesize' | 'inject' | 'verify' | 'yaml', number>;
  readonly peakMiB: number;
  readonly warnings: number;
}

/** Runs the scale benchmark for `services` in fresh processes. */
function scale(services: number, runs: number): ScaleRun[] {
  return Array.from({ length: runs }, () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join('bench', 'scale.ts'), String(services)], {
      cwd: PROJECT_ROOT,
      env: ENV,
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (run.status !== 0) throw new Error(`scale ${services} failed:\n${run.stderr}`);
    const result = JSON.parse(run.stdout) as ScaleRun;
    if (result.warnings > 0) throw new Error(`the scale mesh of ${services} services has ${result.warnings} analyzer warnings`);
    return result;
  });
}

/** The stages the scale target names: generation, synthesis, injection, validation and analysis (no YAML). */
const meshSeconds = (run: ScaleRun) => (run.stages.construct + run.stages.synthesize + run.stages.inject + run.stages.verify) / 1000;

function main(): void {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const copy = copyProject('bench');
  const rows: Row[] = [];

  log('npm run synth ...');
  const synth = summarize(time('npm run -s synth', copy, 10, 2));
  rows.push({ measure: '`npm run synth` (every environment, both apps, injection, validation, analysis)', target: '≤ 1.5 s', summary: synth, met: synth.median <= 1.5 });

  log('stock npx cdktf synth && npx cdk8s synth ...');
  const stock = summarize(time('npx cdktf synth && npx cdk8s synth', copy, 3, 1));
  rows.push({ measure: 'stock `npx cdktf synth && npx cdk8s synth`, same project', target: '(reference)', summary: stock, met: true });
  const speedup = stock.median / synth.median;
  rows.push({
    measure: '`npm run synth` speed-up over the stock CLIs (median / median)',
    target: '≥ 8×',
    summary: { runs: synth.runs, min: speedup, median: speedup, max: speedup },
    met: speedup >= 8,
    note: 'times, not seconds',
  });

  log('npm run kube-inject ...');
  const inject = summarize(time('npm run -s kube-inject -- -f test/inject/fixtures/bookinfo.yaml', PROJECT_ROOT, 10, 2));
  rows.push({ measure: '`npm run -s kube-inject -- -f` Bookinfo (six Deployments)', target: '≤ 0.5 s', summary: inject, met: inject.median <= 0.5 });

  log('npm test ...');
  const tests = summarize(time('npm test --silent', PROJECT_ROOT, 3, 0));
  rows.push({ measure: '`npm test` (wall)', target: '≤ 30 s', summary: tests, met: tests.median <= 30 });

  log('scale: 100 and 1000 services ...');
  const small = scale(100, 3);
  const large = scale(1000, 3);
  const smallMesh = summarize(small.map(meshSeconds));
  const largeMesh = summarize(large.map(meshSeconds));
  rows.push({ measure: 'scale, N = 100: generate, synthesize, inject, validate, analyze', target: '(reference)', summary: smallMesh, met: true });
  rows.push({ measure: 'scale, N = 1000: generate, synthesize, inject, validate, analyze', target: '≤ 10 s', summary: largeMesh, met: largeMesh.median <= 10 });
  const ratio = largeMesh.median / smallMesh.median;
  rows.push({
    measure: 'scale, time for N = 1000 / time for N = 100 (medians)',
    target: '≤ 12×',
    summary: { runs: 3, min: ratio, median: ratio, max: ratio },
    met: ratio <= 12,
    note: 'times, not seconds',
  });
  const largeWithYaml = summarize(large.map((run) => meshSeconds(run) + run.stages.yaml / 1000));
  rows.push({
    measure: 'scale, N = 1000, the above plus writing its YAML (28 MB)',
    target: '(not a target)',
    summary: largeWithYaml,
    met: true,
  });
  const peak = Math.max(...large.map((run) => run.peakMiB));
  rows.push({
    measure: 'scale, N = 1000: peak resident memory',
    target: '≤ 1 GiB',
    summary: { runs: 3, min: Math.min(...large.map((r) => r.peakMiB)), median: summarize(large.map((r) => r.peakMiB)).median, max: peak },
    met: peak <= 1024,
    note: 'MiB, not seconds',
  });

  const file = path.join(PROJECT_ROOT, 'BENCHMARKS.md');
  fs.writeFileSync(file, report(rows, large[0].objects));
  log(`wrote ${path.relative(process.cwd(), file) || file}`);
  fs.rmSync(path.dirname(copy), { recursive: true, force: true });
}

function versionOf(pkg: string): string {
  const lock = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package-lock.json'), 'utf8'));
  return lock.packages[`node_modules/${pkg}`]?.version ?? '?';
}

function report(rows: readonly Row[], largeObjects: number): string {
  const cpus = os.cpus();
  const npm = spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout.trim();
  const format = (value: number, row: Row) => (row.note === 'MiB, not seconds' ? `${Math.round(value)} MiB` : row.note ? `${value.toFixed(1)}×` : `${value.toFixed(2)} s`);
  const lines = rows.map(
    (row) =>
      `| ${row.measure} | ${row.target} | ${row.summary.runs} | ${format(row.summary.min, row)} | ${format(row.summary.median, row)} | ${format(row.summary.max, row)} | ${row.target.startsWith('(') ? '' : row.met ? 'yes' : '**no**'} |`,
  );
  const missed = rows.filter((row) => !row.met);
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (`bench/bench.ts`); do not edit by hand. Each command runs in a fresh process, after',
    'a warm-up where the row says so, and the table gives min, median and max wall time; targets are judged on the',
    'median. Synthesis runs in a copy of the project, so `dist/` is not touched; the scale mesh (`bench/scale-mesh.ts`:',
    `per service a Service, a ServiceAccount, three Deployments, a DestinationRule, a VirtualService with a 50/30/20`,
    `split and an AuthorizationPolicy, chained by a call graph; ${largeObjects} objects at N = 1000) is built in memory.`,
    '',
    '## Machine',
    '',
    `- CPU: ${cpus[0]?.model ?? 'unknown'}, ${cpus.length} cores; memory ${Math.round(os.totalmem() / 2 ** 30)} GiB; ${os.type()} ${os.release()}`,
    `- Node.js ${process.version}, npm ${npm}`,
    `- cdktf ${versionOf('cdktf')}, @cdktf/provider-google ${versionOf('@cdktf/provider-google')}, cdk8s ${versionOf('cdk8s')}, ` +
      `cdk8s-plus-27 ${versionOf('cdk8s-plus-27')}, esbuild ${versionOf('esbuild')}, jest ${versionOf('jest')}`,
    '',
    '## Results',
    '',
    '| Measure | Target | Runs | Min | Median | Max | Met |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...lines,
    '',
    missed.length === 0
      ? 'Every target is met.'
      : `Targets not met: ${missed.map((row) => row.measure).join('; ')}.`,
    '',
    '## How',
    '',
    '- `npm run synth` runs one process (`cli/run.mjs`) that loads a bundle of the command with its dependencies',
    '  (esbuild, rebuilt only when a source file changes) from V8\'s code cache, and synthesizes both apps in memory;',
    '  the stock CLIs start a TypeScript loader, compile the project and load every module from node_modules.',
    '- Provider packages are loaded by deep import, and google-beta only for an environment that uses it.',
    '- Schema validators are compiled ahead of time (`npm run schemas`), and the analyzer indexes the mesh (hosts,',
    '  selectors, policies) instead of scanning it per object, so checks grow linearly with the mesh.',
    '- About 0.2 s of every `npm run` is npm itself starting.',
    '',
  ].join('\n');
}

main();
