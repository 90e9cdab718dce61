import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../pipeline/project-root';

// A user changes config/environments.ts (another preset, another environment, a service of their own) and every test
// but the drift checks must stay green: tests build their environments with test/helpers/environments.ts. Only the
// checks that compare with the committed dist/ read the committed environments.
const DRIFT_CHECKS = ['test/analyze/synth-gate.test.ts', 'test/cdk8s/argocd/argocd-app.test.ts'];
// `kube-inject --env NAME` reads the configured environments, as a user runs it: its test takes each configured
// environment, whatever it is, and compares the command's output with the injector's for that same environment.
const CONFIGURED_COMMANDS = ['test/inject/kube-inject-command.test.ts'];

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? testFiles(file) : file.endsWith('.ts') ? [path.relative(PROJECT_ROOT, file)] : [];
  });
}

test('no test but the drift checks reads the committed environments', () => {
  const readers = testFiles(path.join(PROJECT_ROOT, 'test')).filter((file) => {
    // The helpers that hold the tests' environments (and write them into project copies), and this test.
    const exempt = [
      'test/helpers/environments.ts',
      'test/helpers/project-copy.ts',
      path.relative(PROJECT_ROOT, __filename),
    ];
    if (exempt.includes(file)) return false;
    const text = fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
    return /\bENVIRONMENTS\b|committedEnvironments|loadEnvironments\(\)/.test(text.replace(/TEST_ENVIRONMENTS/g, ''));
  });
  expect(readers.sort()).toEqual([...DRIFT_CHECKS, ...CONFIGURED_COMMANDS].sort());
});
