// `npx tsx bench/kill-soak.ts [RUNS]` (default 30): kills `synth` with SIGKILL at random instants, in a copy of the
// project, and checks each time that after the next command dist/ is the old or the new one and nothing else is
// left. Also run by `npm run bench -- --only kill`. test/pipeline/crash-safety.test.ts does a few of these in the tests.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { copyProject, readTree } from '../test/helpers/project-copy';

export async function killSoak(runs: number, log: (line: string) => void): Promise<{ old: number; fresh: number }> {
  const project = copyProject('kill-soak');
  const dist = path.join(project, 'dist');
  const cli = path.join(project, 'cli', 'run.mjs');
  const start = Date.now();
  const full = spawnSync(process.execPath, [cli, 'synth'], { cwd: project });
  if (full.status !== 0) throw new Error(`synth failed: ${full.stderr}`);
  const span = Date.now() - start;
  const fresh = readTree(dist);
  const old = new Map([...fresh, ['OLD', Buffer.from('before\n')]]);
  const saved = path.join(path.dirname(project), 'synthesized');
  fs.cpSync(dist, saved, { recursive: true });
  const outcomes = { old: 0, fresh: 0 };
  for (let i = 0; i < runs; i++) {
    for (const entry of fs.readdirSync(project))
      if (entry.startsWith('dist')) fs.rmSync(path.join(project, entry), { recursive: true });
    fs.cpSync(saved, dist, { recursive: true });
    fs.writeFileSync(path.join(dist, 'OLD'), 'before\n');
    const delay = Math.floor(Math.random() * span * 1.1);
    const child = spawn(process.execPath, [cli, 'synth'], { cwd: project, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), delay);
    await new Promise((resolve) => child.on('exit', resolve));
    clearTimeout(timer);
    const next = spawnSync(process.execPath, [cli, 'diff', '--help'], { cwd: project });
    if (next.status !== 0) throw new Error(`the command after a kill at ${delay} ms failed: ${next.stderr}`);
    const left = fs.readdirSync(project).filter((entry) => entry.startsWith('dist'));
    const after = readTree(dist);
    const state = isDeepStrictEqual(after, old) ? 'old' : isDeepStrictEqual(after, fresh) ? 'fresh' : undefined;
    if (left.length !== 1 || !state)
      throw new Error(
        `kill at ${delay} ms left ${left.join(', ')} and ${state ?? 'neither the old nor the new dist/'}`,
      );
    outcomes[state]++;
    log(`kill ${i + 1}/${runs} at ${delay} ms: ${state === 'old' ? 'the old' : 'the new'} dist/`);
  }
  fs.rmSync(path.dirname(project), { recursive: true, force: true });
  return outcomes;
}

if (require.main === module) {
  killSoak(Number(process.argv[2] ?? 30), (line) => process.stderr.write(`${line}\n`)).then(
    (outcomes) => process.stdout.write(`every kill left a whole dist/: ${outcomes.old} old, ${outcomes.fresh} new\n`),
    (error) => {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    },
  );
}
