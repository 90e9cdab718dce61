import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { TRAFFIC_PRESET_NAMES } from '../../config';
import { findObject } from '../helpers/manifests';
import { renderCommand } from '../../cli/render-command';
import { TEST_ENVIRONMENTS } from '../helpers/environments';
import { runInProcess } from '../helpers/in-process';
import { copyProject, readTree } from '../helpers/project-copy';

// `npm run render` on a copy of the project with the tests' environments (in process; as a process, piped into
// `head`: test/cli/commands.test.ts).
const project = copyProject('render');
const dist = readTree(path.join(project, 'dist'));
const render = (args: string[]) =>
  runInProcess(renderCommand({ root: project, environments: TEST_ENVIRONMENTS }), args);

test('`render --preset reviews-50-v3` prints a YAML stream with that preset and leaves dist/ alone', () => {
  const run = render(['--preset', 'reviews-50-v3']);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const objects = parseAllDocuments(run.stdout).map((d) => d.toJS());
  expect(
    findObject(objects, 'VirtualService', 'reviews').spec.http[0].route.map((r: { weight: number }) => r.weight),
  ).toEqual([50, 50]);
  expect(objects.map((o) => o.kind)).toEqual(
    expect.arrayContaining(['Namespace', 'PeerAuthentication', 'Gateway', 'DestinationRule']),
  );
  expect(readTree(path.join(project, 'dist'))).toEqual(dist);
});

// Unknown environments are covered in test/pipeline/render.test.ts; this checks how the command reports an error.
test('an unknown preset exits 1, lists the presets and leaves dist/ alone', () => {
  const run = render(['--preset', 'reviews-99-1']);
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    `error: unknown traffic preset "reviews-99-1"; presets: ${TRAFFIC_PRESET_NAMES.join(', ')}\n`,
  );
  expect(readTree(path.join(project, 'dist'))).toEqual(dist);
});

test('`render --set` overrides fields, repeatably, and names a bad path', () => {
  const run = render(['--set', 'traffic.preset=reviews-v3', '--set', 'bookinfo.replicas=2']);
  expect(run.stderr).toBe('');
  const objects = parseAllDocuments(run.stdout).map((d) => d.toJS());
  expect(findObject(objects, 'VirtualService', 'reviews').spec.http[0].route[0].destination.subset).toBe('v3');
  expect(findObject(objects, 'Deployment', 'productpage-v1').spec.replicas).toBe(2);
  const bad = render(['--set', 'namespace=shop', '--set', 'namespace.name=x']);
  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain('--set namespace.name: namespace is "shop", not an object or a list');
  expect(readTree(path.join(project, 'dist'))).toEqual(dist);
});
