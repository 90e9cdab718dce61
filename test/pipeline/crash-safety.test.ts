import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { diffCommand } from '../../cli/diff-command';
import { synthCommand } from '../../cli/synth-command';
import { PUBLISH_FAULT_VARIABLE, recoverDirectory, replaceDirectory } from '../../pipeline/publish';
import { ONE_TEST_ENVIRONMENT } from '../helpers/environments';
import { runInProcess } from '../helpers/in-process';
import { copyProject, readTree, runCli } from '../helpers/project-copy';

// A crash at any instant of a synth leaves the old dist/, the new one, or a state that the next command turns into
// one of them before doing anything else. Here: every state a crash can leave, recovered in process; real synths
// killed (SIGKILL) inside the swap and at a random instant; failing swaps and what synth says about them.
// bench/kill-soak.ts kills synth at many more random instants.

/** The pid of a process that has ended, as a crashed synth's is (a shell's: it starts in a few milliseconds). */
function deadPid(): number {
  return Number(spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout);
}

function tree(dir: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
}

describe('recovery of what a crash left, for each instant of the swap', () => {
  const OLD = { 'cdk8s/a.yaml': 'old\n' };
  const NEW = { 'cdk8s/a.yaml': 'new\n', 'cdk8s/b.yaml': 'new\n' };
  const cases: [string, Record<string, Record<string, string>>, Record<string, string> | undefined][] = [
    ['while building: a half-written staging folder', { dist: OLD, 'dist.staging-P': { 'cdk8s/a.yaml': 'ne' } }, OLD],
    ['after the build: a complete next folder', { dist: OLD, 'dist.next-P': NEW }, OLD],
    ['between the two renames: no dist/', { 'dist.previous-P': OLD, 'dist.next-P': NEW }, NEW],
    ['moved aside, nothing next (a failed swap not put back)', { 'dist.previous-P': OLD }, OLD],
    [
      'after the swap, while removing the previous copy',
      { dist: NEW, 'dist.previous-P': { 'cdk8s/a.yaml': 'old\n' } },
      NEW,
    ],
    ['a first synth, killed while building', { 'dist.staging-P': { x: '' } }, undefined],
  ];
  test.each(cases)('%s', (_, folders, expected) => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'recover-'));
    const pid = String(deadPid());
    for (const [folder, files] of Object.entries(folders)) tree(path.join(parent, folder.replace('P', pid)), files);
    expect(recoverDirectory(path.join(parent, 'dist'))).toEqual([]);
    expect(fs.readdirSync(parent)).toEqual(expected ? ['dist'] : []);
    if (expected)
      expect(Object.fromEntries([...readTree(path.join(parent, 'dist'))].map(([f, c]) => [f, c.toString()]))).toEqual(
        expected,
      );
  });

  test("a running process's folders are left alone", () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'recover-'));
    tree(path.join(parent, 'dist'), OLD);
    tree(path.join(parent, `dist.staging-${process.ppid}`), NEW);
    recoverDirectory(path.join(parent, 'dist'));
    expect(fs.readdirSync(parent).sort()).toEqual(['dist', `dist.staging-${process.ppid}`]);
  });

  test('replaceDirectory recovers before it builds, and leaves only the new folder', () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'recover-'));
    tree(path.join(parent, `dist.previous-${deadPid()}`), OLD);
    const { result } = replaceDirectory(path.join(parent, 'dist'), (staging) => {
      expect(fs.readdirSync(parent).sort()).toEqual(['dist', path.basename(staging)]);
      tree(staging, NEW);
      return 'built';
    });
    expect(result).toBe('built');
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });
});

describe('real synths, killed or failing in the swap', () => {
  const project = copyProject('crash', ONE_TEST_ENVIRONMENT);
  const dist = path.join(project, 'dist');
  const saved = path.join(path.dirname(project), 'synthesized');
  let fresh: Map<string, Buffer>; // what a synth of the copy's sources writes
  let old: Map<string, Buffer>; // and a dist/ that differs from it
  const ours = { root: project, environments: ONE_TEST_ENVIRONMENT };
  beforeAll(() => {
    expect(runInProcess(synthCommand(ours), []).status).toBe(0);
    fresh = readTree(dist);
    old = new Map([...fresh, ['OLD', Buffer.from('the dist/ before this synth\n')]]);
    fs.cpSync(dist, saved, { recursive: true });
  });
  const reset = () => {
    for (const entry of fs.readdirSync(project))
      if (entry.startsWith('dist')) fs.rmSync(path.join(project, entry), { recursive: true });
    fs.cpSync(saved, dist, { recursive: true });
    fs.writeFileSync(path.join(dist, 'OLD'), 'the dist/ before this synth\n');
  };
  const leftovers = () =>
    fs
      .readdirSync(project)
      .filter((entry) => entry.startsWith('dist'))
      .sort();
  /** Any command recovers its project's dist/ first (cli/command.ts, in process here); --help does nothing else. */
  const nextCommand = () => expect(runInProcess(diffCommand(ours), ['--help']).status).toBe(0);

  test('SIGKILL between the two renames of the swap: no dist/ for an instant, the new one after the next command', () => {
    reset();
    const run = runCli(project, ['synth'], { [PUBLISH_FAULT_VARIABLE]: 'moved-aside:crash' });
    expect(run.signal).toBe('SIGKILL');
    expect(leftovers()).toEqual([
      expect.stringMatching(/^dist\.next-\d+$/),
      expect.stringMatching(/^dist\.previous-\d+$/),
    ]);
    nextCommand();
    expect(leftovers()).toEqual(['dist']);
    expect(readTree(dist)).toEqual(fresh);
  });

  test('SIGKILL at a random instant: the old or the new dist/, nothing else, after the next command', async () => {
    reset();
    const child = spawn(process.execPath, [path.join(project, 'cli', 'run.mjs'), 'synth'], {
      cwd: project,
      stdio: 'ignore',
    });
    const delay = 100 + Math.floor(Math.random() * 500);
    setTimeout(() => child.kill('SIGKILL'), delay);
    await new Promise((resolve) => child.on('exit', resolve));
    nextCommand();
    expect(leftovers()).toEqual(['dist']);
    expect([old, fresh]).toContainEqual(readTree(dist));
  });

  test('a swap that fails after dist/ was moved aside puts it back and says so truthfully', () => {
    reset();
    const run = runCli(project, ['synth'], { [PUBLISH_FAULT_VARIABLE]: 'moved-aside:fail' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /EACCES.*\nThe new output could not be swapped into dist\/; dist\/ was not changed\.\n$/,
    );
    expect(leftovers()).toEqual(['dist']);
    expect(readTree(dist)).toEqual(old);
  });

  test('when the old copy cannot be removed (a read-only dist/), synth succeeds, says so, and the next command retries', () => {
    reset();
    const run = runCli(project, ['synth'], { [PUBLISH_FAULT_VARIABLE]: 'swapped:fail' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Synthesized \d+ environments? into dist\//);
    expect(run.stderr).toMatch(
      /^warning: could not remove the previous copy dist\.previous-\d+: EACCES.*remove it by hand\n$/,
    );
    expect(run.stderr).not.toMatch(/not changed/);
    expect(readTree(dist)).toEqual(fresh);
    nextCommand();
    expect(leftovers()).toEqual(['dist']);
  });
});
