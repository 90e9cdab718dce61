// `npm run synth`: both apps, every environment, into dist/ (atomically: dist/ changes only if everything succeeds).
import * as path from 'node:path';
import { ConfigError, loadEnvironments } from '../config';
import { PROJECT_ROOT } from '../pipeline/project-root';
import { synthSummary } from '../pipeline/summary';
import { synthesizeToDist } from '../pipeline/synthesize';
import { updateReadmeDiagram } from '../review/readme-diagram';
import { runCommand } from './command';

runCommand(() => {
  try {
    const outputs = synthesizeToDist(loadEnvironments(), path.join(PROJECT_ROOT, 'dist'));
    process.stdout.write(synthSummary(outputs));
    // The README shows the first environment's mesh, as drawn.
    if (updateReadmeDiagram(PROJECT_ROOT, outputs[0].name)) process.stdout.write(`README.md: diagram of ${outputs[0].name} updated\n`);
  } catch (error) {
    if (error instanceof Error) error.message += `\n${whatToDo(error)}`;
    throw error;
  }
});

/** What to do about a failed synth; dist/ is unchanged either way. */
function whatToDo(error: Error): string {
  return error instanceof ConfigError
    ? 'Fix these values in config/environments.ts and run npm run synth again; dist/ was not changed.'
    : 'dist/ was not changed. Set HELLO_ISTIO_DEBUG=1 to see the stack trace.';
}
