// `npm run -s analyze -- -f FILE [-f FILE ...]`: schema validation and the mesh analyzer on any manifests
// (cli/analyze-command.ts).
import { ANALYZE_COMMAND } from './analyze-command';
import { runCommand } from './command';

runCommand(ANALYZE_COMMAND);
