// One run of the scale benchmark: `scale.ts N FILE` synthesizes a generated mesh of N services and writes its YAML to
// FILE, then prints what it took as JSON (stage times in ms, peak resident memory in MiB). bench.ts bundles it and runs
// it in a fresh process per measurement, so that memory is that of one run.
import * as fs from 'node:fs';
import { synthesizeScaleMesh } from './scale-mesh';

const WARM_UP_SERVICES = 100;

const [services, file] = [Number(process.argv[2]), process.argv[3]];
if (!Number.isInteger(services) || services < 1 || !file) {
  process.stderr.write('usage: scale.ts <services> <yaml file>\n');
  process.exit(2);
}
// A small mesh first, untimed: the JIT warms up over the first thousands of objects, a fixed cost that would otherwise
// count as per-service time at small N. bench.ts times the whole process (wall) with it.
synthesizeScaleMesh(WARM_UP_SERVICES, `${file}.warm-up`);
fs.rmSync(`${file}.warm-up`);
const result = synthesizeScaleMesh(services, file);
const { maxRSS } = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({ services, objects: result.objects, warnings: result.warnings.length, yamlBytes: result.yamlBytes, stages: result.stages, peakMiB: Math.round(maxRSS / 1024) })}\n`,
);
