// `npm run deploy -- <environment|stack>... [--auto-approve]`: synthesizes the chosen environments with their real
// project ids (HELLO_ISTIO_PROJECT_ID_<ENVIRONMENT>) into .deploy/cdktf, outside dist/, and runs cdktf deploy there.
import { PROJECT_ROOT } from '../pipeline/project-root';
import { runCommand } from './command';
import { deployPlan, runDeployment } from './deployment';

const HELP = `usage: npm run deploy -- <environment|stack>... [--auto-approve]

Synthesizes the chosen environments with their real project ids (HELLO_ISTIO_PROJECT_ID_<ENVIRONMENT>) into
.deploy/cdktf, outside dist/, and runs cdktf deploy there.

  --auto-approve   pass --auto-approve to cdktf
  -h, --help       show this help
`;

runCommand({
  help: HELP,
  options: { 'auto-approve': { type: 'boolean' } },
  positionals: true,
  run: (values, targets) =>
    runDeployment(
      deployPlan([...targets, ...(values['auto-approve'] ? ['--auto-approve'] : [])]),
      PROJECT_ROOT,
      (line) => process.stderr.write(`${line}\n`),
    ),
});
