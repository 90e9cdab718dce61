// `npm run synth [-- --env NAME]`: both apps of every environment (or one) into dist/ (cli/synth-command.ts).
import { runCommand } from './command';
import { SYNTH_COMMAND } from './synth-command';

runCommand(SYNTH_COMMAND);
