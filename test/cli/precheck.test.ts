import * as fs from 'node:fs';
import * as path from 'node:path';
import { precheckCommand } from '../../cli/precheck-command';
import { synthCommand } from '../../cli/synth-command';
import { runInProcess } from '../helpers/in-process';
import { copyProject } from '../helpers/project-copy';
import { UPGRADE_WALKTHROUGH } from '../helpers/upgrade-walkthrough';

// `npm run precheck` on a project copy with environments the test owns, the walkthrough's canary (the command in
// process; its usage errors as a process: test/cli/commands.test.ts).
const environments = [UPGRADE_WALKTHROUGH[1].environment];
const project = copyProject('precheck');
afterAll(() => fs.rmSync(path.dirname(project), { recursive: true, force: true }));
const runCommand = (command: 'precheck' | 'synth', args: string[] = []) =>
  runInProcess((command === 'synth' ? synthCommand : precheckCommand)({ root: project, environments }), args);

test('exit 2 before a synth (nothing to read), 0 after it, 1 with a planted problem', () => {
  fs.rmSync(path.join(project, 'dist'), { recursive: true, force: true });
  fs.mkdirSync(path.join(project, 'dist'));
  const before = runCommand('precheck');
  expect([before.status, before.stdout]).toEqual([2, expect.stringContaining('cannot tell [sidecar-release] shop')]);

  expect(runCommand('synth').status).toBe(0);
  const clean = runCommand('precheck', ['--env', 'shop']);
  expect([clean.status, clean.stdout]).toEqual([0, expect.stringMatching(/precheck: clean\n$/)]);

  const file = path.join(project, 'dist', 'cdk8s', 'shop', '0000-namespace.k8s.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('istio.io/rev: stable', 'istio.io/rev: gone'));
  const found = runCommand('precheck');
  expect(found.status).toBe(1);
  expect(found.stdout).toContain('finding [revision-tags] shop: namespace bookinfo is on istio.io/rev gone');
});

// An unknown option: test/cli/commands.test.ts, for every command.
test('an unknown environment is a usage error (exit 2)', () => {
  const run = runCommand('precheck', ['--env', 'nope']);
  expect([run.status, run.stderr]).toEqual([
    2,
    expect.stringContaining('--env nope: no such environment; configured: shop'),
  ]);
});
