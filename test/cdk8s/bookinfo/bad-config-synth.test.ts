import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyProject, readTree, runCli } from '../../helpers/project-copy';

// The whole command, as a user runs it: a bad Bookinfo value in environments.ts stops `npm run synth` before anything
// is written, and the committed dist/ stays as it was.
test('`npm run synth` with bad Bookinfo values exits non-zero, names each field and value, and leaves dist/ untouched', () => {
  const dir = copyProject('bad-bookinfo');
  const environments = path.join(dir, 'config', 'environments.ts');
  const source = fs.readFileSync(environments, 'utf8');
  const changed = source.replace(
    "namespace: 'bookinfo',",
    "namespace: 'bookinfo',\n    bookinfo: { replicas: -1, versions: { reviews: ['v1', 'v7'] }, registry: 'my registry' } as never,",
  );
  expect(changed).not.toBe(source);
  fs.writeFileSync(environments, changed);
  const before = readTree(path.join(dir, 'dist'));
  expect(before.size).toBeGreaterThan(0);

  const run = runCli(dir, ['synth']);

  expect(run.status).not.toBe(0);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain('bookinfo.replicas = -1: must be 0 or more');
  expect(run.stderr).toContain('bookinfo.versions.reviews.1 = "v7": must be a version of reviews');
  expect(run.stderr).toContain('bookinfo.registry = "my registry": must be a registry path without spaces');
  expect(readTree(path.join(dir, 'dist'))).toEqual(before);
});
