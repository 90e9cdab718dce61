import * as path from 'node:path';
import { TEST_ENVIRONMENTS } from '../helpers/environments';
import { copyProject, readTree, runCli } from '../helpers/project-copy';

// Two synths of the same sources from two checkouts at different paths must write the same bytes.
test('synth output is byte-identical across checkout paths and runs', () => {
  const first = copyProject('a', TEST_ENVIRONMENTS);
  const second = copyProject(path.join('somewhere', 'much', 'deeper', 'checkout'), TEST_ENVIRONMENTS);
  for (const dir of [first, second]) {
    const run = runCli(dir, ['synth']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }
  const a = readTree(path.join(first, 'dist'));
  const b = readTree(path.join(second, 'dist'));
  expect([...a.keys()]).toEqual([...b.keys()]);
  expect(a.size).toBeGreaterThan(2);
  for (const [file, content] of a) {
    expect({ file, content: content.toString() }).toEqual({ file, content: b.get(file)!.toString() });
    expect(content.toString()).not.toContain(first);
  }
  // and a second run in the same checkout changes nothing
  expect(runCli(first, ['synth']).status).toBe(0);
  expect(readTree(path.join(first, 'dist'))).toEqual(a);
});
