// One run of the scale benchmark: `tsx bench/scale.ts N` synthesizes a generated mesh of N services in memory and
// prints what it took as JSON (stage times in ms, peak resident memory in MiB). bench.ts runs it in a fresh process
// per measurement, so that memory and warm-up are those of one run.
import { synthesizeScaleMesh } from './scale-mesh';

const services = Number(process.argv[2]);
if (!Number.isInteger(services) || services < 1) {
  process.stderr.write('usage: tsx bench/scale.ts <services>\n');
  process.exit(2);
}
const result = synthesizeScaleMesh(services);
const { maxRSS } = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({ services, objects: result.objects, warnings: result.warnings.length, yamlBytes: result.yamlBytes, stages: result.stages, peakMiB: Math.round(maxRSS / 1024) })}\n`,
);
