// One run of the scale benchmark: `scale.ts N FILE [WARM-UP]` synthesizes a generated mesh of N services and writes its
// YAML to FILE, then prints what it took as JSON (stage times in ms, peak resident memory in MiB). With WARM-UP, a mesh
// of that many services goes first, untimed, so that the stage times are those of a warm JIT. bench.ts bundles it and
// runs it in a fresh process per measurement, so that memory is that of one run.
import * as fs from 'node:fs';
import { synthesizeScaleMesh } from './scale-mesh';

const [services, file, warmUp] = [Number(process.argv[2]), process.argv[3], Number(process.argv[4] ?? 0)];
if (!Number.isInteger(services) || services < 1 || !file || !Number.isInteger(warmUp) || warmUp < 0) {
  process.stderr.write('usage: scale.ts <services> <yaml file> [<warm-up services>]\n');
  process.exit(2);
}
if (warmUp > 0) {
  synthesizeScaleMesh(warmUp, `${file}.warm-up`);
  fs.rmSync(`${file}.warm-up`);
}
const result = synthesizeScaleMesh(services, file);
const { maxRSS } = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({ services, objects: result.objects, warnings: result.warnings.length, yamlBytes: result.yamlBytes, stages: result.stages, peakMiB: Math.round(maxRSS / 1024) })}\n`,
);
