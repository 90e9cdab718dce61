// `npm run schemas`: regenerates schemas/ from ../shared/reference (cli/schemas-command.ts).
import { runCommand } from './command';
import { SCHEMAS_COMMAND } from './schemas-command';

runCommand(SCHEMAS_COMMAND);
