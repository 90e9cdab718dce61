// `npm run deploy -- <environment|stack>... [--auto-approve]`: synthesizes the chosen environments with their real
// project ids (HELLO_ISTIO_PROJECT_ID_<ENVIRONMENT>) into .deploy/cdktf, outside dist/, and runs cdktf deploy there.
import { deployPlan, runDeploymentCommand } from './deployment';

const HELP = `usage: npm run deploy -- <environment|stack>... [--auto-approve]

Synthesizes the chosen environments with their real project ids (HELLO_ISTIO_PROJECT_ID_<ENVIRONMENT>) into
.deploy/cdktf, outside dist/, and runs cdktf deploy there.

  --auto-approve   pass --auto-approve to cdktf
  -h, --help       show this help
`;

runDeploymentCommand(HELP, deployPlan);
