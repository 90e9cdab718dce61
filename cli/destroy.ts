// `npm run destroy -- <environment>... [--auto-approve]`: tears environments down in order (the mesh stack, then the
// cluster's), with their real project ids, from .deploy/cdktf (see cli/deployment.ts).
import { destroyPlan, runDeploymentCommand } from './deployment';

const HELP = `usage: npm run destroy -- <environment>... [--auto-approve]

Tears environments down: the mesh stack first, then the cluster's (cluster.deletionProtection must be false).

  --auto-approve   pass --auto-approve to cdktf
  -h, --help       show this help
`;

runDeploymentCommand(HELP, destroyPlan);
