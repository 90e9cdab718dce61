import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadEnvironments, type EnvironmentInput } from '../../../config';
import { defaultInput } from '../../helpers/environments';
import { synthesizeToDist } from '../../../pipeline/synthesize';
import { readTree } from '../../helpers/project-copy';

// What `npm run synth` does with bad Bookinfo values in environments.ts: it stops before anything is written, naming
// every field and value, and the committed dist/ stays as it was. (test/pipeline/atomicity.test.ts runs the command
// itself with a bad value; this one goes through the same loading and synthesis in-process.)
test('a synth with bad Bookinfo values fails, names each field and value, and leaves dist/ untouched', () => {
  const dist = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bad-bookinfo-')), 'dist');
  fs.mkdirSync(dist);
  fs.writeFileSync(path.join(dist, 'marker'), 'unchanged');
  const before = readTree(dist);
  const input = {
    ...defaultInput(),
    bookinfo: { replicas: -1, versions: { reviews: ['v1', 'v7'] }, registry: 'my registry' },
  } as EnvironmentInput;

  const synth = () => synthesizeToDist(loadEnvironments([input], {}), dist);

  expect(synth).toThrow('bookinfo.replicas = -1: must be 0 or more');
  expect(synth).toThrow('bookinfo.versions.reviews.1 = "v7": must be a version of reviews');
  expect(synth).toThrow('bookinfo.registry = "my registry": must be a registry path without spaces');
  expect(readTree(dist)).toEqual(before);
});
