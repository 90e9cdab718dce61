// One run of the scale benchmark: `scale.ts N FILE [MESHES]` synthesizes a generated mesh of N services and writes its
// YAML to FILE, MESHES times over (1 by default), then prints what it took as JSON: stage times in ms, summed over the
// meshes, and peak resident memory in MiB. bench.ts bundles it and runs it in a fresh process per measurement: one
// mesh for the end-to-end times and memory; for the time per service, as many meshes as make the same total of
// services at every size, so that each size pays the JIT's warm-up and the process's start-up once over as much work.
import { synthesizeScaleMesh } from './scale-mesh';

const [services, file, meshes] = [Number(process.argv[2]), process.argv[3], Number(process.argv[4] ?? 1)];
if (!Number.isInteger(services) || services < 1 || !file || !Number.isInteger(meshes) || meshes < 1) {
  process.stderr.write('usage: scale.ts <services> <yaml file> [<meshes>]\n');
  process.exit(2);
}
const stages = { construct: 0, synthesize: 0, inject: 0, verify: 0, yaml: 0 };
let last: ReturnType<typeof synthesizeScaleMesh> | undefined;
for (let i = 0; i < meshes; i++) {
  last = synthesizeScaleMesh(services, file);
  for (const [stage, ms] of Object.entries(last.stages)) stages[stage as keyof typeof stages] += ms;
}
const { maxRSS } = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({ services, meshes, objects: last!.objects, warnings: last!.warnings.length, yamlBytes: last!.yamlBytes, stages, peakMiB: Math.round(maxRSS / 1024) })}\n`,
);
