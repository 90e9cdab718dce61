// `npm run diff [-- --markdown]`: synthesizes into a temporary folder and compares it with dist/, object by object.
// Exit 0: no changes; 1: changes (printed); 2: an error (bad config, a failed synth, an unreadable dist/ file).
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

const USAGE = 'usage: npm run diff [-- --markdown]';

runCommand(() => {
  const markdown = parseOptions().markdown;
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'hello-istio-diff-'));
  try {
    synthesize(loadEnvironments(), fresh);
    const diff = diffTrees(path.join(PROJECT_ROOT, 'dist'), fresh);
    process.stdout.write(markdown ? formatMarkdown(diff) : formatText(diff));
    return diff.sections.length === 0 ? 0 : 1;
  } finally {
    fs.rmSync(fresh, { recursive: true, force: true });
  }
}, 2);

function parseOptions(): { markdown: boolean } {
  try {
    return parseArgs({ options: { markdown: { type: 'boolean', default: false } } }).values;
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`);
  }
}
