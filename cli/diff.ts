// `npm run diff [-- --markdown] [--from DIR] [--to DIR]`: what a synth would change in dist/ (cli/diff-command.ts).
import { runCommand } from './command';
import { DIFF_COMMAND } from './diff-command';

runCommand(DIFF_COMMAND);
