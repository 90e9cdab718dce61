// `npm run -s render -- [--preset NAME] [--env ENV] [--set PATH=VALUE]...`: one environment's Kubernetes output
// on stdout (cli/render-command.ts).
import { runCommand } from './command';
import { RENDER_COMMAND } from './render-command';

runCommand(RENDER_COMMAND);
