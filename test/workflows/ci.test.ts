import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../pipeline/project-root';

// The workflow the project gives its users (.github/workflows/ci.yml); GitHub runs it, so these checks are all the
// testing it gets here.
interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
  readonly run?: string;
  readonly shell?: string;
}

const workflow = parse(fs.readFileSync(path.join(PROJECT_ROOT, '.github', 'workflows', 'ci.yml'), 'utf8'));
const steps: Step[] = Object.values(workflow.jobs as Record<string, { steps: Step[] }>).flatMap((job) => job.steps);
const runs = steps.flatMap((s) => (s.run ?? '').split('\n').map((line) => line.trim())).filter(Boolean);
const scripts = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).scripts as Record<
  string,
  string
>;

/** The command the README gives for running the tests (in "Set up and test"). */
function readmeTestCommand(): string {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const line = readme.split('\n').find((l) => /#\s*run the tests/.test(l));
  if (!line) throw new Error('README.md has no line "... # run the tests"');
  return line.slice(0, line.indexOf('#')).trim();
}

test('runs on pull requests, with read-only access to the repository', () => {
  expect(Object.keys(workflow.on)).toEqual(['pull_request']);
  expect(workflow.permissions).toEqual({ contents: 'read' });
});

test('uses only official actions (checkout and setup-node for the tests), Node 20 with the npm cache', () => {
  const testSteps = (workflow.jobs.test as { steps: Step[] }).steps;
  expect(testSteps.filter((s) => s.uses).map((s) => s.uses)).toEqual(['actions/checkout@v4', 'actions/setup-node@v4']);
  for (const step of steps.filter((s) => s.uses)) expect(step.uses).toMatch(/^actions\/[a-z-]+@v\d+$/);
  expect(steps.find((s) => s.uses === 'actions/setup-node@v4')!.with).toEqual({ 'node-version': 20, cache: 'npm' });
  for (const step of steps) expect(Boolean(step.uses) !== Boolean(step.run)).toBe(true);
});

test("installs from the lock file and runs the README's test command", () => {
  expect(readmeTestCommand()).toBe('npm test');
  expect(runs).toContain('npm ci');
  expect(runs).toContain(readmeTestCommand());
  expect(runs.indexOf('npm ci')).toBeLessThan(runs.indexOf(readmeTestCommand()));
});

test('the drift check fails the job on changes, with the Markdown report in the job summary', () => {
  const drift = steps.find((s) => s.run === 'npm run -s diff -- --markdown | tee -a "$GITHUB_STEP_SUMMARY"');
  expect(drift).toBeDefined();
  // GitHub runs `shell: bash` as `bash -eo pipefail`, so the exit code of `npm run diff` fails the step
  expect(drift!.shell).toBe('bash');
});

test("the pull request's changes to dist/ go into the job summary without failing the job", () => {
  expect(runs).toContain(
    'npm run -s diff -- --from ../base/dist --to dist --markdown >> "$GITHUB_STEP_SUMMARY" || test $? -eq 1',
  );
});

test('every npm script it runs exists, and nothing needs ../shared', () => {
  for (const line of runs) {
    for (const [, script] of line.matchAll(/npm run (?:-s )?([\w:-]+)/g))
      expect(Object.keys(scripts)).toContain(script);
  }
  expect(runs.join('\n')).not.toMatch(/shared|npm run (-s )?import/);
});

test('a job of its own runs conformance with the real tools, their builds cached between runs', () => {
  const job = workflow.jobs.conformance as { steps: Step[] };
  const cache = job.steps.find((s) => s.uses === 'actions/cache@v4');
  expect(String(cache!.with!.path)).toContain('~/.cache/hello-istio');
  expect(job.steps.map((s) => s.run).filter(Boolean)).toEqual(['npm ci', 'npm run conformance -- --self-test']);
});
