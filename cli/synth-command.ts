// `npm run synth [-- --env NAME]`: both apps, every environment (or one), into dist/, atomically: dist/ changes only
// if everything succeeds, and a crash at any instant leaves the old or the new dist/ (pipeline/publish.ts).
import * as path from 'node:path';
import { ConfigError, loadEnvironments } from '../config';
import { rememberBinaryVersionsIn } from '../pipeline/binary-version-once';
import { PublishError } from '../pipeline/publish';
import { synthSummary } from '../pipeline/summary';
import { synthesizeEnvironmentToDist, synthesizeToDist } from '../pipeline/synthesize';
import { updateReadmeDiagram } from '../review/readme-diagram';
import { defineCommand, UsageError } from './command';
import { THIS_PROJECT, type Project } from './project';

const HELP = `usage: npm run synth [-- --env NAME]   (or: node cli/run.mjs synth [--env NAME])

Synthesizes the Terraform (CDKTF) and Kubernetes (cdk8s) output of every environment in config/environments.ts
into dist/, with sidecar injection, validation and analysis; dist/ is replaced only if every step succeeds.

  --env NAME   synthesize only this environment; the others' output in dist/ stays as it is
  -h, --help   show this help
`;

/** `npm run synth` on `project`: cli/synth.ts runs it on this checkout, tests in process (executeCommand) on copies. */
export const synthCommand = (project: Project = THIS_PROJECT) =>
  defineCommand({
    help: HELP,
    options: { env: { type: 'string' } },
    root: project.root,
    run: ({ env }, _positionals, io) => {
      // cdktf's `terraform version` check, once while the binary stays the same (pipeline/binary-version-once.ts)
      rememberBinaryVersionsIn(path.join(project.root, '.build', 'binary-versions.json'));
      const environments = loadEnvironments(project.environments);
      const dist = path.join(project.root, 'dist');
      const warnings: string[] = [];
      try {
        let outputs;
        if (env === undefined) {
          outputs = synthesizeToDist(environments, dist, warnings);
        } else {
          const chosen = environments.find((e) => e.name === env);
          if (!chosen)
            throw new UsageError(
              `--env ${env}: no such environment; environments: ${environments.map((e) => e.name).join(', ')}`,
            );
          outputs = [synthesizeEnvironmentToDist(chosen, dist, warnings)];
        }
        io.stdout(synthSummary(outputs));
        // The README shows the first environment's mesh, as drawn.
        const first = environments[0].name;
        if (outputs.some((o) => o.name === first) && updateReadmeDiagram(project.root, first)) {
          io.stdout(`README.md: diagram of ${first} updated\n`);
        }
        for (const warning of warnings) io.stderr(`warning: ${warning}\n`);
      } catch (error) {
        if (error instanceof Error && !(error instanceof UsageError)) error.message += `\n${whatToDo(error)}`;
        throw error;
      }
    },
  });

/** `npm run synth`, as cli/synth.ts runs it. */
export const SYNTH_COMMAND = synthCommand();

/** What became of dist/ after a failed synth, truthfully, and what to do. */
function whatToDo(error: Error): string {
  if (error instanceof ConfigError) {
    return 'Fix these values in config/environments.ts and run npm run synth again; dist/ was not changed.';
  }
  if (error instanceof PublishError) {
    return error.state === 'unchanged'
      ? 'The new output could not be swapped into dist/; dist/ was not changed.'
      : `dist/ was moved aside while swapping and could not be put back; the next npm run command restores it.`;
  }
  return 'dist/ was not changed. Set HELLO_ISTIO_DEBUG=1 to see the stack trace.';
}
