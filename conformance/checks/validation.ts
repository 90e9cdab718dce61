import * as fs from 'node:fs';
import * as path from 'node:path';
import { notRun, resultOf, type CheckResult, type Toolbox } from '../check';
import { run } from '../process';
import { kubernetesFiles, parseObjects, renderCommand, type Subjects } from '../subjects';

const TITLE =
  'Validation: `istioctl validate` on every object of dist/cdk8s and of every traffic preset (Istio and Gateway API ingress)';

/** `istioctl validate -f FILE`: its errors, one per object and problem (`Kind/namespace/name: message`). */
export function istioctlValidate(istioctl: string, file: string): string[] {
  const result = run(istioctl, ['validate', '-f', file]);
  if (result.code === 0) return [];
  const errors = result.stderr
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s*/, '').trim())
    .filter((line) => line && !/^Error: \d+ errors? occurred:?$/.test(line));
  return errors.length > 0 ? errors : [`exit ${result.code} without a message`];
}

export function validationCheck(subjects: Subjects, tools: Toolbox): CheckResult {
  const istioctl = tools.istioctl.path;
  if (!istioctl) return notRun('validation', TITLE, 'no istioctl could be had (see Tools)');
  const failures: string[] = [];
  let objects = 0;
  let inputs = 0;
  for (const env of subjects.environments) {
    for (const file of kubernetesFiles(subjects.dist, env.name)) {
      inputs++;
      objects += parseObjects(fs.readFileSync(file, 'utf8')).length;
      const where = path.relative(path.dirname(subjects.dist), file);
      failures.push(...istioctlValidate(istioctl, file).map((e) => `${where}: ${e}`));
    }
  }
  const dir = fs.mkdtempSync(path.join(tools.work, 'presets-'));
  const renders = [...subjects.presets, ...subjects.gatewayApi];
  renders.forEach((preset, index) => {
    inputs++;
    objects += parseObjects(preset.yaml).length;
    const file = path.join(dir, `${index}-${preset.environment}-${preset.preset}.yaml`);
    fs.writeFileSync(file, preset.yaml);
    failures.push(...istioctlValidate(istioctl, file).map((e) => `${renderCommand(preset)}: ${e}`));
  });
  return resultOf(
    'validation',
    TITLE,
    `${objects} objects in ${inputs} inputs (${subjects.environments.length} environments' dist/cdk8s files, ${subjects.presets.length} preset renders, ${subjects.gatewayApi.length} with the Gateway API ingress): ${failures.length} errors`,
    failures,
    [
      '`istioctl validate` decodes every Istio object strictly against its API types (a misspelt field is an error) and runs ' +
        "Istio's validation of each kind; for Kubernetes objects it checks what Istio requires of them (Service port names, " +
        'workload labels).',
    ],
  );
}
