// `npm run bench [-- --only PART[,PART...]]`: measures the performance targets (issues 9 and 19) on this machine. A
// full run writes BENCHMARKS.md; a run of some parts (synth, scale, test, inject, analyze, kill) prints its rows only.
//
// Each command runs in a fresh process, a few times; the table reports min, median and max wall time.
// Synthesis runs in a copy of the project, so the checkout's dist/ is never written; the scale mesh and the large
// stream are written to a temporary folder.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../pipeline/project-root';
import { copyProject } from '../test/helpers/project-copy';
import { bigStream } from './big-stream';
import { killSoak } from './kill-soak';

/** min, median and max of a series. */
interface Summary {
  readonly runs: number;
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

type Unit = 's' | '×' | 'MiB' | 'ms' | '%';

interface Row {
  readonly measure: string;
  /** The target, or `(reference)` for a row that is not one. */
  readonly target: string;
  readonly summary: Summary;
  readonly unit: Unit;
  /** Whether the target is met, judged on the median (undefined for a reference row). */
  readonly met?: boolean;
}

// No update checks (synth reads no project id variable: dist/ is always the committed configuration's).
const ENV = { ...process.env, CHECKPOINT_DISABLE: '1', CDK8S_CHECK_UPGRADE: 'false' };
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Runs `command` `warmup + runs` times in `cwd`; returns the wall times (s) and peak memory (MiB) of measured runs. */
function time(command: string, cwd: string, runs: number, warmup: number): { seconds: number[]; peakMiB: number[] } {
  const seconds: number[] = [];
  const peakMiB: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const start = process.hrtime.bigint();
    // GNU time's last line on stderr is the peak resident set size in KiB
    const shell = TIME ? `${TIME} -f %M sh -c '${command.replace(/'/g, `'\\''`)}'` : command;
    const run = spawnSync('sh', ['-c', shell], {
      cwd,
      env: ENV,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    if (run.status !== 0) throw new Error(`\`${command}\` failed (exit ${run.status}):\n${run.stderr.slice(-2000)}`);
    if (i < warmup) continue;
    seconds.push(elapsed);
    const kib = Number(run.stderr.trim().split('\n').pop());
    if (TIME && Number.isFinite(kib)) peakMiB.push(kib / 1024);
  }
  return { seconds, peakMiB };
}

function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { runs: sorted.length, min: sorted[0], median, max: sorted[sorted.length - 1] };
}

const single = (value: number, runs: number): Summary => ({ runs, min: value, median: value, max: value });

interface ScaleRun {
  /** Meshes synthesized one after another; stage times are their sums. */
  readonly meshes: number;
  readonly objects: number;
  readonly stages: Record<'construct' | 'synthesize' | 'inject' | 'verify' | 'yaml', number>;
  readonly yamlBytes: number;
  readonly peakMiB: number;
  readonly warnings: number;
  /** Wall time of the whole process, start-up included (s). */
  readonly wall: number;
}

/** bench/scale.ts bundled as the commands are (esbuild), so that a run times the pipeline, not a TypeScript loader. */
function scaleBundle(dir: string): string {
  const out = path.join(dir, 'scale.cjs');
  const run = spawnSync(
    process.execPath,
    [
      '-e',
      `require('esbuild').buildSync({ entryPoints: [${JSON.stringify(path.join(PROJECT_ROOT, 'bench', 'scale.ts'))}], outfile: ${JSON.stringify(out)}, bundle: true, platform: 'node', target: 'node20', format: 'cjs', minifyWhitespace: true, minifySyntax: true, logLevel: 'error' })`,
    ],
    { cwd: PROJECT_ROOT, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`bundling bench/scale.ts failed:\n${run.stderr}`);
  return out;
}

/**
 * Services each process synthesizes for the time per service, in meshes of the size measured (30 of 100, 3 of 1000, 1
 * of 3000): the same work at every size, so that fixed costs (the JIT's warm-up above all) weigh the same in each, and
 * what differs is how the pipeline's cost grows with the size of one mesh.
 */
const PER_SERVICE_WORK = 3000;

/** Runs the scale benchmark: `meshes` meshes of `services` one after another in one fresh process (bench/scale.ts). */
function scale(bundle: string, dir: string, services: number, meshes: number): ScaleRun {
  const start = process.hrtime.bigint();
  const file = path.join(dir, `scale-${services}.yaml`);
  const run = spawnSync(process.execPath, [bundle, String(services), file, String(meshes)], {
    cwd: PROJECT_ROOT,
    env: ENV,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`scale ${services} failed:\n${run.stderr}`);
  const result = JSON.parse(run.stdout) as Omit<ScaleRun, 'wall'>;
  if (result.warnings > 0)
    throw new Error(`the scale mesh of ${services} services has ${result.warnings} analyzer warnings`);
  return { ...result, wall };
}

/** The pipeline's own time, from generating the mesh to its YAML written (ms), without process start-up. */
const pipelineMs = (run: ScaleRun) => Object.values(run.stages).reduce((a, b) => a + b, 0);

const PARTS: Record<string, (work: string) => Row[] | Promise<Row[]>> = {
  synth(work) {
    const copy = copyProject('bench');
    log('synth: node cli/run.mjs synth, npm run synth, and the stock npx cdktf synth && npx cdk8s synth, in turns ...');
    const commands = {
      direct: 'node cli/run.mjs synth',
      npm: 'npm run -s synth',
      stock: 'npx cdktf synth && npx cdk8s synth',
    };
    const seconds = { direct: [] as number[], npm: [] as number[], stock: [] as number[] };
    for (const command of Object.values(commands)) time(command, copy, 0, 1);
    // In turns (ten of ours, three stock, in five rounds), so that a ratio compares runs of the same minutes on a
    // machine whose speed drifts. After a stock run, an untimed run of ours first: the stock CLIs' eight seconds of
    // work leave the caches cold, and the next run of anything a tenth slower.
    for (let round = 0; round < 5; round++) {
      if (round % 2 === 0) {
        seconds.stock.push(...time(commands.stock, copy, 1, 0).seconds);
        time(commands.direct, copy, 0, 1);
      }
      seconds.direct.push(...time(commands.direct, copy, 2, 0).seconds);
      seconds.npm.push(...time(commands.npm, copy, 2, 0).seconds);
    }
    const [direct, npm, stock] = [summarize(seconds.direct), summarize(seconds.npm), summarize(seconds.stock)];
    log('synth: kube-inject of Bookinfo ...');
    const inject = summarize(
      time(`node ${path.join('cli', 'run.mjs')} kube-inject -f test/inject/fixtures/bookinfo.yaml`, PROJECT_ROOT, 10, 2)
        .seconds,
    );
    fs.rmSync(path.dirname(copy), { recursive: true, force: true });
    void work;
    return [
      {
        measure: '`node cli/run.mjs synth` (every environment, both apps, injection, validation, analysis)',
        target: '≤ 0.45 s',
        summary: direct,
        unit: 's',
        met: direct.median <= 0.45,
      },
      {
        measure: '`npm run synth`, the same through npm (npm itself starts in about 0.2 s)',
        target: '(reference)',
        summary: npm,
        unit: 's',
      },
      {
        measure: 'stock `npx cdktf synth && npx cdk8s synth`, same project',
        target: '(reference)',
        summary: stock,
        unit: 's',
      },
      {
        measure: 'synth speed-up over the stock CLIs (median / median)',
        target: '≥ 15×',
        summary: single(stock.median / direct.median, direct.runs),
        unit: '×',
        met: stock.median / direct.median >= 15,
      },
      {
        measure: '`node cli/run.mjs kube-inject -f` Bookinfo (six Deployments)',
        target: '≤ 0.5 s',
        summary: inject,
        unit: 's',
        met: inject.median <= 0.5,
      },
    ];
  },

  scale(work) {
    const bundle = scaleBundle(work);
    const rows: Row[] = [];
    const sizes = [
      [100, undefined],
      [1000, 4],
      [3000, 12],
    ] as const;
    // The sizes in turns (five rounds, the order reversed every other round), so that their ratio compares runs of
    // the same minutes on a machine whose speed drifts; five, because a run's speed varies by a tenth or more.
    log(`scale: ${sizes.map(([services]) => services).join(', ')} services, end to end and per service, in turns ...`);
    const endToEnd = new Map<number, ScaleRun[]>(sizes.map(([services]) => [services, []]));
    const perServiceRuns = new Map<number, ScaleRun[]>(sizes.map(([services]) => [services, []]));
    for (let round = 0; round < 5; round++) {
      const order = round % 2 === 0 ? sizes : [...sizes].reverse();
      for (const [services] of order) endToEnd.get(services)!.push(scale(bundle, work, services, 1));
      for (const [services] of order)
        perServiceRuns.get(services)!.push(scale(bundle, work, services, PER_SERVICE_WORK / services));
    }
    for (const [services, target] of sizes) {
      const runs = endToEnd.get(services)!;
      const wall = summarize(runs.map((r) => r.wall));
      const mib = Math.round(runs[0].yamlBytes / 2 ** 20);
      rows.push({
        measure: `scale, N = ${services} (${runs[0].objects} objects): generate, synthesize, inject, validate, analyze, write its YAML (${mib} MB), end to end in a fresh process`,
        target: target ? `≤ ${target} s` : '(reference)',
        summary: wall,
        unit: 's',
        met: target ? wall.median <= target : undefined,
      });
      rows.push({
        measure: `scale, N = ${services}: peak resident memory`,
        target: '≤ 1024 MiB',
        summary: summarize(runs.map((r) => r.peakMiB)),
        unit: 'MiB',
        met: Math.max(...runs.map((r) => r.peakMiB)) <= 1024,
      });
    }
    // Time per service at each size (the target: constant within 20 % from N = 100 to 3000): the pipeline's own time
    // (without process start-up) over the same 3000 services, in meshes of that size; the median of five processes.
    // Growth faster than linear in a mesh's size shows as a larger time per service at the larger sizes.
    const perService = new Map(
      sizes.map(([services]) => [
        services,
        summarize(perServiceRuns.get(services)!.map(pipelineMs)).median / PER_SERVICE_WORK,
      ]),
    );
    const times = [...perService.values()];
    const spread = (Math.max(...times) / Math.min(...times) - 1) * 100;
    rows.push({
      measure:
        `scale, time per service over ${PER_SERVICE_WORK} services in meshes of N: ` +
        `${[...perService].map(([n, ms]) => `${ms.toFixed(2)} ms at N = ${n}`).join(', ')}; largest over smallest`,
      target: '≤ +20 %',
      summary: single(spread, 5),
      unit: '%',
      met: spread <= 20,
    });
    return rows;
  },

  test() {
    log('test: npm test ...');
    const tests = summarize(time('npm test --silent', PROJECT_ROOT, 3, 0).seconds);
    return [{ measure: '`npm test` (wall)', target: '≤ 30 s', summary: tests, unit: 's', met: tests.median <= 30 }];
  },

  inject(work) {
    const file = largeStream(work);
    log('inject: kube-inject of 100,000 objects ...');
    const run = time(
      `node ${path.join(PROJECT_ROOT, 'cli', 'run.mjs')} kube-inject -f ${file} -o ${path.join(work, 'injected.yaml')}`,
      PROJECT_ROOT,
      1,
      0,
    );
    return streamRows('`node cli/run.mjs kube-inject -f` of a 100,000-object stream', 20, run);
  },

  analyze(work) {
    const file = largeStream(work);
    log('analyze: analyze of 100,000 objects ...');
    const run = time(`node ${path.join(PROJECT_ROOT, 'cli', 'run.mjs')} analyze -f ${file}`, PROJECT_ROOT, 1, 0);
    return streamRows('`node cli/run.mjs analyze -f` of a 100,000-object stream', 10, run);
  },

  async kill() {
    log('kill: synth killed at 30 random instants ...');
    const outcomes = await killSoak(30, () => {});
    return [
      {
        measure: `synth SIGKILLed at 30 random instants: dist/ whole after the next command (${outcomes.old} old, ${outcomes.fresh} new)`,
        target: '30 of 30',
        summary: single(outcomes.old + outcomes.fresh, 30),
        unit: '×',
        met: outcomes.old + outcomes.fresh === 30,
      },
    ];
  },
};

function largeStream(work: string): string {
  const file = path.join(work, 'stream-100000.yaml');
  if (!fs.existsSync(file)) fs.writeFileSync(file, bigStream(100_000));
  return file;
}

function streamRows(measure: string, seconds: number, run: { seconds: number[]; peakMiB: number[] }): Row[] {
  const rows: Row[] = [
    {
      measure,
      target: `≤ ${seconds} s`,
      summary: summarize(run.seconds),
      unit: 's',
      met: summarize(run.seconds).median <= seconds,
    },
  ];
  if (run.peakMiB.length)
    rows.push({
      measure: `${measure}: peak resident memory`,
      target: '≤ 1024 MiB',
      summary: summarize(run.peakMiB),
      unit: 'MiB',
      met: Math.max(...run.peakMiB) <= 1024,
    });
  else log('warning: /usr/bin/time is missing, so peak memory is not measured');
  return rows;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      `usage: npm run bench [-- --only PART[,PART...]]\n\nparts: ${Object.keys(PARTS).join(', ')}; all of them (and BENCHMARKS.md) by default\n`,
    );
    return;
  }
  const only = values.only?.split(',');
  const unknown = only?.filter((part) => !Object.hasOwn(PARTS, part)) ?? [];
  if (unknown.length)
    throw new Error(`--only ${unknown.join(',')}: no such part; parts: ${Object.keys(PARTS).join(', ')}`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hello-istio-bench-'));
  const rows: Row[] = [];
  try {
    for (const [part, measure] of Object.entries(PARTS))
      if (!only || only.includes(part)) rows.push(...(await measure(work)));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  if (only) {
    process.stdout.write(
      `${table(rows)}\n\nload average at the end: ${load} (a partial run; BENCHMARKS.md is written by a full one)\n`,
    );
    return;
  }
  const file = path.join(PROJECT_ROOT, 'BENCHMARKS.md');
  fs.writeFileSync(file, report(rows, load));
  log(`wrote ${path.relative(process.cwd(), file) || file}`);
}

function format(value: number, unit: Unit): string {
  if (unit === 'MiB') return `${Math.round(value)} MiB`;
  if (unit === '×') return `${value.toFixed(1)}×`;
  if (unit === '%') return `${value >= 0 ? '+' : ''}${value.toFixed(0)} %`;
  return `${value.toFixed(2)} s`;
}

function table(rows: readonly Row[]): string {
  return [
    '| Measure | Target | Runs | Min | Median | Max | Met |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((row) => {
      const { runs, min, median, max } = row.summary;
      return `| ${row.measure} | ${row.target} | ${runs} | ${format(min, row.unit)} | ${format(median, row.unit)} | ${format(max, row.unit)} | ${row.met === undefined ? '' : row.met ? 'yes' : '**no**'} |`;
    }),
  ].join('\n');
}

function versionOf(pkg: string): string {
  const lock = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package-lock.json'), 'utf8'));
  return lock.packages[`node_modules/${pkg}`]?.version ?? '?';
}

function report(rows: readonly Row[], load: string): string {
  const cpus = os.cpus();
  const npm = spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout.trim();
  const missed = rows.filter((row) => row.met === false);
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (`bench/bench.ts`); do not edit by hand. Each command runs in a fresh process (the',
    'synth and Bookinfo rows after untimed runs, as a second run finds its caches), and the table gives min, median',
    'and max; targets are judged on the median (peak memory on the max). Synthesis runs in a copy of the project, so',
    '`dist/` is not touched. Our synth and the stock CLIs run in turns, as do the three scale sizes, so that a ratio',
    'compares runs of the same minutes. The time per service at each scale size is measured over the same 3000',
    'services (30 meshes of 100, 3 of 1000, 1 of 3000, in one process each), so that fixed costs weigh the same at',
    'every size. The scale mesh (`bench/scale-mesh.ts`: per service a Service, a ServiceAccount, three Deployments, a',
    'DestinationRule, a VirtualService with a 50/30/20 split and an AuthorizationPolicy, chained by a call graph) and',
    "the 100,000-object stream (`bench/big-stream.ts`: Bookinfo's manifests under new names) are written to a",
    'temporary folder. `npm run bench -- --only synth,scale` measures some parts (synth, scale, test, inject,',
    'analyze, kill) without writing this file.',
    '',
    '## Machine',
    '',
    `- CPU: ${cpus[0]?.model ?? 'unknown'}, ${cpus.length} cores; memory ${Math.round(os.totalmem() / 2 ** 30)} GiB; ${os.type()} ${os.release()}`,
    `- load average at the end of the run: ${load}`,
    `- Node.js ${process.version}, npm ${npm}`,
    `- cdktf ${versionOf('cdktf')}, @cdktf/provider-google ${versionOf('@cdktf/provider-google')}, cdk8s ${versionOf('cdk8s')}, ` +
      `cdk8s-plus-27 ${versionOf('cdk8s-plus-27')}, esbuild ${versionOf('esbuild')}, vitest ${versionOf('vitest')}`,
    '',
    '## Results',
    '',
    table(rows),
    '',
    missed.length === 0 ? 'Every target is met.' : `Targets not met: ${missed.map((row) => row.measure).join('; ')}.`,
    '',
    '## How',
    '',
    '- Commands run as `node cli/run.mjs <command>` (the npm scripts run the same, after npm starts): one process that',
    "  loads an esbuild bundle of the command from V8's code cache; only the command run is rebuilt after an edit.",
    '- cdktf captures no stack trace per token (`cdktf/token-stack-traces.ts`) and skips its search for cross-stack',
    '  references in the gke stacks, which have none (`cdktf/gke-stack.ts`); YAML is written by',
    "  `kube/yaml-writer.ts`, which writes the `yaml` package's bytes without building a document tree first.",
    '- Schema validators are compiled ahead of time (`npm run schemas`), and the analyzer indexes the mesh (hosts,',
    '  selectors, policies) instead of scanning it per object, so checks grow linearly with the mesh.',
    '- `npm test` runs vitest with workers that share loaded modules across test files (`vitest.config.mts`; a test',
    '  spies on an object rather than replacing a module), keeps transformed TypeScript between runs, and runs a',
    '  command in a subprocess where the process is what is tested (exit codes, stdin, crashes, bundles), in process',
    '  elsewhere.',
    '',
  ].join('\n');
}

main().catch((error) => {
  process.stderr.write(`error: ${error.message}\n`);
  process.exitCode = 1;
});
