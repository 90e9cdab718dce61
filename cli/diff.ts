// `npm run diff [-- --markdown] [--from DIR] [--to DIR]`: compares two dist/ trees object by object. By default the
// committed dist/ with a fresh synth (made in a temporary folder; dist/ is never written): what `npm run synth` would
// change. `--from base/dist --to dist` compares two checkouts instead, such as a pull request's base and head.
// Exit 0: no changes; 1: changes (printed); 2: an error (bad config, a failed synth, an unreadable file).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnvironments } from '../config';
import { PROJECT_ROOT } from '../pipeline/project-root';
import { synthesize } from '../pipeline/synthesize';
import { diffTrees } from '../review/dist-diff';
import { formatMarkdown, formatText } from '../review/diff-report';
import { runCommand } from './command';

const USAGE = 'usage: npm run diff [-- --markdown] [--from DIR] [--to DIR]';

runCommand(() => {
  const options = parseOptions();
  const from = options.from ? path.resolve(options.from) : path.join(PROJECT_ROOT, 'dist');
  const fresh = options.to ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'hello-istio-diff-'));
  try {
    if (fresh) synthesize(loadEnvironments(), fresh);
    const diff = diffTrees(from, options.to ? path.resolve(options.to) : fresh!);
    const trees = options.to ? { from: folderName(options.from ?? 'dist'), to: folderName(options.to) } : undefined;
    process.stdout.write(options.markdown ? formatMarkdown(diff, { trees }) : formatText(diff, { trees }));
    return diff.sections.length === 0 ? 0 : 1;
  } finally {
    if (fresh) fs.rmSync(fresh, { recursive: true, force: true });
  }
}, 2);

function parseOptions(): { markdown: boolean; from?: string; to?: string } {
  try {
    return parseArgs({
      options: { markdown: { type: 'boolean', default: false }, from: { type: 'string' }, to: { type: 'string' } },
    }).values;
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`);
  }
}

function folderName(folder: string): string {
  return folder.endsWith('/') ? folder : `${folder}/`;
}
