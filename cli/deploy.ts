// `npm run deploy -- <environment|stack>... [--auto-approve]`: synthesizes the chosen environments with their real
// project ids (HELLO_ISTIO_PROJECT_ID_<ENVIRONMENT>) into .deploy/cdktf, outside dist/, and runs cdktf deploy there
// (cli/deployment.ts).
import { runCommand } from './command';
import { DEPLOY_COMMAND } from './deployment';

runCommand(DEPLOY_COMMAND);
