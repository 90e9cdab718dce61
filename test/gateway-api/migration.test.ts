import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffCommand } from '../../cli/diff-command';
import { synthCommand } from '../../cli/synth-command';
import type { EnvironmentInput } from '../../config';
import { PROJECT_ROOT } from '../../pipeline/project-root';
import { TEST_ENVIRONMENTS } from '../helpers/environments';
import { runInProcess } from '../helpers/in-process';
import { copyProject } from '../helpers/project-copy';

/**
 * The README's migration from traffic.ingress istio to gateway-api is what `npm run diff` prints for it: a copy of
 * the project synthesized with the tests' environments, then with the first of them switched.
 */
const BLOCK = /<!-- migration-diff -->\n```\n([\s\S]*?)\n```\n<!-- \/migration-diff -->/;

test("the README's migration diff is what npm run diff prints for switching the default environment", () => {
  const root = copyProject('migration');
  expect(runInProcess(synthCommand({ root, environments: TEST_ENVIRONMENTS }), []).status).toBe(0);
  const [first, ...rest] = TEST_ENVIRONMENTS;
  const switched: EnvironmentInput[] = [
    { ...first, traffic: { ingress: 'gateway-api', gateway: { address: '203.0.113.10' } } },
    ...rest,
  ];
  const result = runInProcess(diffCommand({ root, environments: switched }), []);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(1);
  const printed = result.stdout.trimEnd();
  // What a reviewer must see in it.
  expect(printed).toMatch(/\+ Gateway bookinfo\/bookinfo-gateway/);
  expect(printed).toMatch(/\+ HTTPRoute bookinfo\/bookinfo /);
  expect(printed).toMatch(/- VirtualService bookinfo\/bookinfo /);
  expect(printed).toMatch(
    /"cluster\.local\/ns\/istio-ingress\/sa\/istio-ingressgateway" → "cluster\.local\/ns\/bookinfo\/sa\/bookinfo-gateway-istio"/,
  );
  expect(printed).toMatch(/\+ resource helm_release\.gateway-api-crds_Release_\w+/);
  expect(printed).toMatch(/- resource helm_release\.ingress-gateway_Release_\w+/);
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const block = BLOCK.exec(readme)?.[1];
  if (block !== printed) {
    // The message is the block to paste between the README's migration-diff markers.
    expect(`README migration-diff block:\n${block}`).toBe(`README migration-diff block:\n${printed}`);
  }
});
