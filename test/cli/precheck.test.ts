import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyProject, runCli } from '../helpers/project-copy';
import { UPGRADE_WALKTHROUGH } from '../helpers/upgrade-walkthrough';

// `npm run precheck` as users run it, on a project copy with environments the test owns: the walkthrough's canary.
const project = copyProject('precheck', [UPGRADE_WALKTHROUGH[1].environment]);
afterAll(() => fs.rmSync(path.dirname(project), { recursive: true, force: true }));

test('exit 2 before a synth (nothing to read), 0 after it, 1 with a planted problem', () => {
  fs.rmSync(path.join(project, 'dist'), { recursive: true, force: true });
  fs.mkdirSync(path.join(project, 'dist'));
  const before = runCli(project, ['precheck']);
  expect([before.status, before.stdout]).toEqual([2, expect.stringContaining('cannot tell [sidecar-release] shop')]);

  expect(runCli(project, ['synth']).status).toBe(0);
  const clean = runCli(project, ['precheck', '--env', 'shop']);
  expect([clean.status, clean.stdout]).toEqual([0, expect.stringMatching(/precheck: clean\n$/)]);

  const file = path.join(project, 'dist', 'cdk8s', 'shop', '0000-namespace.k8s.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('istio.io/rev: stable', 'istio.io/rev: gone'));
  const found = runCli(project, ['precheck']);
  expect(found.status).toBe(1);
  expect(found.stdout).toContain('finding [revision-tags] shop: namespace bookinfo is on istio.io/rev gone');
});

// An unknown option: test/cli/commands.test.ts, for every command.
test('an unknown environment is a usage error (exit 2)', () => {
  const run = runCli(project, ['precheck', '--env', 'nope']);
  expect([run.status, run.stderr]).toEqual([
    2,
    expect.stringContaining('--env nope: no such environment; configured: shop'),
  ]);
});
