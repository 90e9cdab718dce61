import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ANALYZE_COMMAND } from '../../cli/analyze-command';
import type { Command, CommandOptions } from '../../cli/command';
import { DEPLOY_COMMAND, DESTROY_COMMAND } from '../../cli/deployment';
import { DIFF_COMMAND } from '../../cli/diff-command';
import { kubeInjectCommand } from '../../cli/kube-inject-command';
import { PRECHECK_COMMAND } from '../../cli/precheck-command';
import { RENDER_COMMAND } from '../../cli/render-command';
import { SCHEMAS_COMMAND } from '../../cli/schemas-command';
import { SYNTH_COMMAND, synthCommand } from '../../cli/synth-command';
import { TEST_ENVIRONMENTS } from '../helpers/environments';
import { runInProcess } from '../helpers/in-process';
import { copyProject, readTree, runCli } from '../helpers/project-copy';

// Every command answers --help, refuses what it does not know with exit 2 and its usage, and reports user errors
// in one message, never a stack trace. Every command in process (executeCommand, as cli/<command>.ts runs it), and
// some as users run them: `node cli/run.mjs <command>`, in a copy of the project.
const project = copyProject('commands', TEST_ENVIRONMENTS);
const committed = readTree(path.join(project, 'dist'));
const STACK_FRAME = /^\s+at .+\(.*:\d+:\d+\)$/m;

/** The commands, as `node cli/run.mjs --help` lists them. */
const commands = runCli(project, ['--help'])
  .stdout.split('\n')
  .map((line) => /^ {2}([a-z-]+) {2,}/.exec(line)?.[1])
  .filter((name): name is string => name !== undefined);

/** Each command, as its cli/<command>.ts runs it. */
const COMMANDS: Record<string, Command<CommandOptions>> = {
  analyze: ANALYZE_COMMAND,
  deploy: DEPLOY_COMMAND,
  destroy: DESTROY_COMMAND,
  diff: DIFF_COMMAND,
  'kube-inject': kubeInjectCommand(),
  precheck: PRECHECK_COMMAND,
  render: RENDER_COMMAND,
  schemas: SCHEMAS_COMMAND,
  synth: SYNTH_COMMAND,
};

const inProcess = (command: string, args: string[]) => runInProcess(COMMANDS[command], args);

/** A usage error: exit 2, nothing on stdout, the reason, the usage and the hint, no stack trace. */
function expectUsageError(
  command: string,
  run: { status: number | null; stdout: string; stderr: string },
  reason: string,
) {
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain(`error: ${reason}`);
  expect(run.stderr).toMatch(new RegExp(`\\nusage: npm run (-s )?${command}\\b.*\\n\\(--help for more\\)\\n$`));
  expect(run.stderr).not.toMatch(STACK_FRAME);
}

test('node cli/run.mjs lists the commands (each one tested here); an unknown command exits 2', () => {
  expect([...commands].sort()).toEqual(Object.keys(COMMANDS).sort());
  const run = runCli(project, ['synthesize']);
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/^error: no command "synthesize"\nusage: node cli\/run\.mjs <command>/);
});

describe.each(Object.keys(COMMANDS))('%s', (command) => {
  test('--help prints its usage', () => {
    const run = inProcess(command, ['--help']);
    expect([run.status, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(new RegExp(`^usage: npm run (-s )?${command}\\b`));
  });

  test('an unknown option: exit 2, the reason and the usage, no stack trace', () => {
    expectUsageError(command, inProcess(command, ['--bogus']), "Unknown option '--bogus'");
  });
});

describe('through node cli/run.mjs, dist/ untouched', () => {
  afterEach(() => expect(readTree(path.join(project, 'dist'))).toEqual(committed));

  test('synth --help prints its usage and does nothing else', () => {
    const run = runCli(project, ['synth', '--help']);
    expect([run.status, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(/^usage: npm run synth\b/);
  });

  test('synth --bogus: exit 2, the reason and the usage, no stack trace', () => {
    expectUsageError('synth', runCli(project, ['synth', '--bogus']), "Unknown option '--bogus'");
  });
});

test.each([
  ['diff', ['stray'], "Unexpected argument 'stray'"],
  ['render', ['--preset'], "Option '--preset <value>' argument missing"],
])('%s %j: exit 2, the reason and the usage, no stack trace', (command, args, reason) => {
  expectUsageError(command, inProcess(command, args), reason);
});

test('diff --from or --to naming a missing folder exits 2 and names it', () => {
  for (const args of [
    ['--from', 'no/such/dist'],
    ['--from', 'dist', '--to', 'nowhere'],
  ]) {
    const run = inProcess('diff', args);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`error: ${args.at(-2)} ${args.at(-1)}: no such folder\n`);
  }
});

test('synth --env NAME rewrites that environment only; an unknown one exits 2 with the list', () => {
  const names = TEST_ENVIRONMENTS.map((env) => env.name!);
  const [other, own] = [names[0], names.at(-1)!];
  const file = (env: string) => path.join(project, 'dist', 'cdk8s', env, '0000-namespace.k8s.yaml');
  const manifest = () =>
    Object.keys(JSON.parse(fs.readFileSync(path.join(project, 'dist', 'cdktf', 'manifest.json'), 'utf8')).stacks);
  const stacks = manifest();
  fs.appendFileSync(file(other), '# planted in another environment\n');
  fs.appendFileSync(file(own), '# planted in this environment\n');
  const synth = synthCommand({ root: project, environments: TEST_ENVIRONMENTS });
  const run = runInProcess(synth, ['--env', own]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(new RegExp(`^Synthesized 1 environment into dist/:\n\n${own}\n`));
  expect(fs.readFileSync(file(other), 'utf8')).toContain('planted in another environment');
  expect(fs.readFileSync(file(own), 'utf8')).not.toContain('planted');
  expect(manifest()).toEqual(stacks);
  expect(fs.readdirSync(project).filter((entry) => entry.startsWith('dist'))).toEqual(['dist']);
  fs.writeFileSync(file(other), committed.get(path.relative(path.join(project, 'dist'), file(other)))!);

  const unknown = runInProcess(synth, ['--env', 'no-such-env']);
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toMatch(
    new RegExp(`^error: --env no-such-env: no such environment; environments: ${names.join(', ')}\n`),
  );
});

// A user error (a bad configuration) as one message without a stack trace: test/pipeline/atomicity.test.ts.

test('a reader that stops early (| head -1) ends the command quietly', () => {
  const run = spawnSync(
    'bash',
    ['-c', `node cli/run.mjs render 2>stderr.txt | head -1; echo "exit \${PIPESTATUS[0]}"`],
    {
      cwd: project,
      encoding: 'utf8',
    },
  );
  expect(run.stdout).toBe('# hello-istio: environment "default", traffic preset "all-v1"\nexit 0\n');
  expect(fs.readFileSync(path.join(project, 'stderr.txt'), 'utf8')).toBe('');
});

test('every `node cli/run.mjs <command>` the README shows is a command', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const named = [...readme.matchAll(/(?:node )?cli\/run\.mjs ([a-z][\w-]*)/g)].map((m) => m[1]);
  expect(named.length).toBeGreaterThan(2);
  expect(named.filter((name) => !commands.includes(name))).toEqual([]);
});

test('after an edit only the command run is rebuilt; other V8 flags get a code cache of their own', () => {
  const build = path.join(project, '.build');
  const stamp = (command: string) => fs.readFileSync(path.join(build, `${command}.stamp`), 'utf8');
  const caches = () =>
    fs
      .readdirSync(build)
      .filter((f) => f.startsWith('render.') && f.endsWith('.v8cache'))
      .sort();
  const before = { render: stamp('render'), synth: stamp('synth') };

  fs.appendFileSync(path.join(project, 'cli', 'render.ts'), '// an edit\n');
  expect(runCli(project, ['render', '--help']).status).toBe(0);
  expect(stamp('render')).not.toBe(before.render);
  expect(stamp('synth')).toBe(before.synth);
  expect(caches()).toHaveLength(1);
  const plain = path.join(build, caches()[0]);
  const cached = fs.readFileSync(plain);

  const flagged = spawnSync(
    process.execPath,
    ['--stack-size=2000', path.join(project, 'cli', 'run.mjs'), 'render', '--help'],
    { cwd: project },
  );
  expect(flagged.status).toBe(0);
  expect(caches()).toHaveLength(2);
  expect(runCli(project, ['render', '--help']).status).toBe(0);
  expect(fs.readFileSync(plain).equals(cached)).toBe(true); // accepted as it was, not rebuilt
});
