// `npm run destroy -- <environment>... [--auto-approve]`: tears environments down in order (the mesh stack, then the
// cluster's), with their real project ids, from .deploy/cdktf (see cli/deployment.ts).
import { PROJECT_ROOT } from '../pipeline/project-root';
import { runCommand } from './command';
import { destroyPlan, runDeployment } from './deployment';

const HELP = `usage: npm run destroy -- <environment>... [--auto-approve]

Tears environments down: the mesh stack first, then the cluster's (cluster.deletionProtection must be false).

  --auto-approve   pass --auto-approve to cdktf
  -h, --help       show this help
`;

runCommand({
  help: HELP,
  options: { 'auto-approve': { type: 'boolean' } },
  positionals: true,
  run: (values, targets) =>
    runDeployment(
      destroyPlan([...targets, ...(values['auto-approve'] ? ['--auto-approve'] : [])]),
      PROJECT_ROOT,
      (line) => process.stderr.write(`${line}\n`),
    ),
});
