import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesizeToDist } from '../../pipeline/synthesize';
import { defaultEnvironment, TEST_ENVIRONMENTS, testEnvironments } from '../helpers/environments';
import { copyProject, readTree, runCli } from '../helpers/project-copy';

/** A dist/ folder holding known content, in a folder of its own. */
function existingDist(): { dist: string; before: Map<string, Buffer> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
  const dist = path.join(dir, 'dist');
  fs.mkdirSync(path.join(dist, 'cdk8s'), { recursive: true });
  fs.writeFileSync(path.join(dist, 'cdk8s', 'marker.yaml'), 'kind: Marker\n');
  return { dist, before: readTree(dist) };
}

test('an exception in a chart leaves dist/ as it was, with no staging folder left behind', () => {
  const { dist, before } = existingDist();
  // the networking chart throws, after the Terraform was written: a fault the Gateway API cannot express
  const faulty = defaultEnvironment((e) => ({ ...e, traffic: { ingress: 'gateway-api', preset: 'details-fault' } }));
  expect(() => synthesizeToDist([faulty], dist)).toThrow(
    /cdk8s app of environment "default": preset "details-fault" \(its routes of details\) cannot be written/,
  );
  expect(readTree(dist)).toEqual(before);
  expect(fs.readdirSync(path.dirname(dist))).toEqual(['dist']);
});

test('a successful synth replaces dist/ as a whole', () => {
  const { dist } = existingDist();
  synthesizeToDist(testEnvironments(), dist);
  const files = [...readTree(dist).keys()];
  expect(files).not.toContain(path.join('cdk8s', 'marker.yaml'));
  expect(files).toContain(path.join('cdk8s', 'default', '0000-namespace.k8s.yaml'));
  expect(fs.readdirSync(path.dirname(dist))).toEqual(['dist']);
});

test('`npm run synth` with a bad config exits 1, says what is wrong in one message and leaves dist/ untouched', () => {
  const dir = copyProject('bad-config', [{ ...TEST_ENVIRONMENTS[0], projectId: 'Not A Project' }]);
  fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'dist', 'marker'), 'unchanged');
  const before = readTree(path.join(dir, 'dist'));
  const run = runCli(dir, ['synth']);
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  // one message, without a stack trace
  expect(run.stderr).toMatch(/^error: Invalid configuration:[^]*projectId = "Not A Project": must be a GCP project id/);
  expect(run.stderr).not.toMatch(/^\s+at .+\(.*:\d+:\d+\)$/m);
  expect(readTree(path.join(dir, 'dist'))).toEqual(before);
});
