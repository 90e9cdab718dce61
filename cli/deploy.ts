// `npm run deploy -- <environment|stack>... [--auto-approve]`: synthesizes the chosen environments with their real
// project ids (HELLO_ISTIO_PROJECT_ID_<ENVIRONMENT>) into .deploy/cdktf, outside dist/, and runs `cdktf deploy` there.
import { PROJECT_ROOT } from '../pipeline/project-root';
import { runCommand } from './command';
import { deployPlan, runDeployment } from './deployment';

runCommand(() => runDeployment(deployPlan(process.argv.slice(2)), PROJECT_ROOT, (line) => process.stderr.write(`${line}\n`)));
