// `npm run destroy -- <environment>... [--auto-approve]`: tears environments down in order (the mesh stack, then the
// cluster's), with their real project ids, from .deploy/cdktf (see cli/deployment.ts).
import { PROJECT_ROOT } from '../pipeline/project-root';
import { runCommand } from './command';
import { destroyPlan, runDeployment } from './deployment';

runCommand(() => runDeployment(destroyPlan(process.argv.slice(2)), PROJECT_ROOT, (line) => process.stderr.write(`${line}\n`)));
