// `npm run destroy -- <environment>... [--auto-approve]`: tears environments down in order (the mesh stack, then the
// cluster's), with their real project ids, from .deploy/cdktf (cli/deployment.ts).
import { runCommand } from './command';
import { DESTROY_COMMAND } from './deployment';

runCommand(DESTROY_COMMAND);
