// `npm run precheck [-- --env NAME] [--dist DIR]`: offline checks of each environment's Istio releases
// (cli/precheck-command.ts).
import { runCommand } from './command';
import { PRECHECK_COMMAND } from './precheck-command';

runCommand(PRECHECK_COMMAND);
