import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffCommand } from '../../cli/diff-command';
import { synthCommand } from '../../cli/synth-command';
import { ONE_TEST_ENVIRONMENT } from '../helpers/environments';
import { runInProcess } from '../helpers/in-process';
import { copyProject, readTree } from '../helpers/project-copy';

// `npm run diff` end to end, on a copy of the project with the tests' environments (the command in process; as a
// process, test/cli/commands.test.ts): exit 0 when dist/ is what the sources make, 1 when it is not, 2 on an error;
// dist/ itself is never written.
const project = { root: copyProject('diff'), environments: ONE_TEST_ENVIRONMENT };
const dir = project.root;
const diff = (args: string[] = []) => runInProcess(diffCommand(project), args);
const stackFile = path.join(dir, 'dist', 'cdktf', 'stacks', 'default-gke', 'cdk.tf.json');
/** The same project with a configuration that is invalid. */
const badConfig = { ...project, environments: [{ ...ONE_TEST_ENVIRONMENT[0], projectId: 'Not A Project' }] };

// The copy's dist/ as its environments (the tests') synthesize it; the committed dist/ is CI's drift check's.
beforeAll(() => expect(runInProcess(synthCommand(project), []).status).toBe(0));

test('exit 0 and "No changes" on a freshly synthesized dist/', () => {
  const run = diff();
  expect(run.stderr).toBe('');
  expect(run.stdout).toBe('No changes: dist/ is what the sources synthesize.\n');
  expect(run.status).toBe(0);
});

describe('with a planted change in dist/', () => {
  let before: Map<string, Buffer>;
  beforeAll(() => {
    const stack = fs.readFileSync(stackFile, 'utf8');
    expect(stack.match(/"node_count": 4/g)).toHaveLength(1);
    fs.writeFileSync(stackFile, stack.replace('"node_count": 4', '"node_count": 7'));
    before = readTree(path.join(dir, 'dist'));
  });

  test('exit 1 and the changed field, leaving dist/ as it was', () => {
    const run = diff();
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('Changes from dist/ to a fresh synth: 0 added, 0 removed, 1 changed.');
    expect(run.stdout).toMatch(/~ resource google_container_node_pool\.\w+\n {6}node_count: 7 → 4\n/);
    expect(readTree(path.join(dir, 'dist'))).toEqual(before);
  });

  test('--markdown prints the same as a table', () => {
    const run = diff(['--markdown']);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^### Synth diff: 0 added, 0 removed, 1 changed\n/);
    expect(run.stdout).toMatch(
      /\| changed \| `resource google_container_node_pool\.\w+` \| `node_count` \| `7` \| `4` \|/,
    );
  });
});

test('--from and --to compare two trees without synthesizing', () => {
  const base = path.join(dir, 'base-dist');
  fs.cpSync(path.join(dir, 'dist'), base, { recursive: true });
  const namespaceFile = path.join(base, 'cdk8s', 'default', '0000-namespace.k8s.yaml');
  fs.writeFileSync(namespaceFile, fs.readFileSync(namespaceFile, 'utf8').replace('name: bookinfo', 'name: shop'));
  // a bad config does not matter: nothing is synthesized
  const run = runInProcess(diffCommand(badConfig), ['--from', base, '--to', path.join(dir, 'dist')]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(1);
  expect(run.stdout).toContain(`Changes from ${base}/ to ${path.join(dir, 'dist')}/: 1 added, 1 removed, 0 changed.`);
  expect(run.stdout).toContain(
    '  + Namespace bookinfo  (0000-namespace.k8s.yaml)\n  - Namespace shop  (0000-namespace.k8s.yaml)\n',
  );
  fs.rmSync(base, { recursive: true });
});

test('exit 2 on a bad configuration, with the reason', () => {
  const run = runInProcess(diffCommand(badConfig), []);
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/projectId = "Not A Project"/);
});

// An unknown option (exit 2, with the usage): test/cli/commands.test.ts, for every command.
