// `npm run diff [-- --markdown] [--from DIR] [--to DIR]`: compares two dist/ trees object by object. By default the
// committed dist/ with a fresh synth (made in a temporary folder; dist/ is never written): what `npm run synth` would
// change. `--from base/dist --to dist` compares two checkouts instead, such as a pull request's base and head.
// Exit 0: no changes; 1: changes (printed); 2: an error (bad config, a failed synth, an unreadable file, a missing folder).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadEnvironments } from '../config';
import { rememberBinaryVersionsIn } from '../pipeline/binary-version-once';
import { synthesize } from '../pipeline/synthesize';
import { diffTrees } from '../review/dist-diff';
import { formatMarkdown, formatText } from '../review/diff-report';
import { defineCommand } from './command';
import { THIS_PROJECT, type Project } from './project';

const HELP = `usage: npm run diff [-- --markdown] [--from DIR] [--to DIR]   (or: node cli/run.mjs diff ...)

Compares two dist/ trees object by object and field by field. By default: the committed dist/ with a fresh synth
(in a temporary folder; dist/ is not written), that is what npm run synth would change.

  --from DIR   the tree to compare from (default: dist/)
  --to DIR     the tree to compare to, instead of a fresh synth
  --markdown   print the changes as a Markdown table (for a pull request comment)
  -h, --help   show this help

Exit status: 0 no changes, 1 changes, 2 an error (a bad configuration, a failed synth, a missing folder).
`;

/** `npm run diff` on `project`: cli/diff.ts runs it on this checkout, tests in process (executeCommand) on copies. */
export const diffCommand = (project: Project = THIS_PROJECT) =>
  defineCommand({
    help: HELP,
    options: { markdown: { type: 'boolean', default: false }, from: { type: 'string' }, to: { type: 'string' } },
    errorExitCode: 2,
    root: project.root,
    run: (options, _positionals, io) => {
      const from = options.from ? existingFolder('--from', options.from) : path.join(project.root, 'dist');
      const to = options.to ? existingFolder('--to', options.to) : undefined;
      const fresh = to ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'hello-istio-diff-'));
      try {
        if (fresh) freshSynth(project, fresh);
        const diff = diffTrees(from, to ?? fresh!);
        const trees = options.to ? { from: folderName(options.from ?? 'dist'), to: folderName(options.to) } : undefined;
        io.stdout(options.markdown ? formatMarkdown(diff, { trees }) : formatText(diff, { trees }));
        return diff.sections.length === 0 ? 0 : 1;
      } finally {
        if (fresh) fs.rmSync(fresh, { recursive: true, force: true });
      }
    },
  });

/** `npm run diff`, as cli/diff.ts runs it. */
export const DIFF_COMMAND = diffCommand();

/** What npm run synth would write for `project`, written into `dir`. */
function freshSynth(project: Project, dir: string): void {
  // cdktf's `terraform version` check, once while the binary stays the same (pipeline/binary-version-once.ts)
  rememberBinaryVersionsIn(path.join(project.root, '.build', 'binary-versions.json'));
  synthesize(loadEnvironments(project.environments), dir);
}

/** A folder given on the command line, which must exist: comparing with nothing would report everything as added. */
function existingFolder(option: string, folder: string): string {
  const resolved = path.resolve(folder);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(resolved);
  } catch {
    throw new Error(`${option} ${folder}: no such folder`);
  }
  if (!stat.isDirectory()) throw new Error(`${option} ${folder}: not a folder`);
  return resolved;
}

function folderName(folder: string): string {
  return folder.endsWith('/') ? folder : `${folder}/`;
}
