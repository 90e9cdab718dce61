// `npm run synth`: both apps, every environment, into dist/ (atomically: dist/ changes only if everything succeeds).
import * as path from 'node:path';
import { ConfigError, loadEnvironments } from '../config';
import { PROJECT_ROOT } from '../pipeline/project-root';
import { synthSummary } from '../pipeline/summary';
import { synthesizeToDist } from '../pipeline/synthesize';
import { runCommand } from './command';

runCommand(() => {
  try {
    process.stdout.write(synthSummary(synthesizeToDist(loadEnvironments(), path.join(PROJECT_ROOT, 'dist'))));
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
