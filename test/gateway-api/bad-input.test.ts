import * as path from 'node:path';
import { synthCommand } from '../../cli/synth-command';
import type { EnvironmentInput } from '../../config';
import { TEST_ENVIRONMENTS } from '../helpers/environments';
import { runInProcess } from '../helpers/in-process';
import { copyProject, readTree } from '../helpers/project-copy';

// A route the Gateway API cannot express is a synth error naming it, and dist/ is left as it was.
test('a preset with fault injection under traffic.ingress gateway-api: synth fails naming it, dist/ unchanged', () => {
  const dir = copyProject('gateway-api-bad-input');
  const before = readTree(path.join(dir, 'dist'));
  const [first, ...rest] = TEST_ENVIRONMENTS;
  const environments: EnvironmentInput[] = [
    { ...first, traffic: { ingress: 'gateway-api', preset: 'details-fault' } },
    ...rest,
  ];
  const run = runInProcess(synthCommand({ root: dir, environments }), []);
  expect(run.status).not.toBe(0);
  expect(run.stderr).toMatch(
    /preset "details-fault" \(its routes of details\) cannot be written as a Gateway API HTTPRoute.*injects a fault \(an abort\)/s,
  );
  expect(readTree(path.join(dir, 'dist'))).toEqual(before);
});
