// `npm run -s render -- [--preset NAME] [--env ENV] [--set PATH=VALUE]...`: one environment's Kubernetes output with a traffic preset, as a
// YAML stream on stdout (`kubectl apply -f <(npm run -s render -- --preset reviews-v3)`). dist/ is not touched.
import { TRAFFIC_PRESET_NAMES, TRAFFIC_PRESETS } from '../config';
import { renderKubernetes } from '../pipeline/render';
import { defineCommand } from './command';
import { THIS_PROJECT, type Project } from './project';

/** `npm run render` on `project`: cli/render.ts runs it on this checkout, tests in process on copies. */
export const renderCommand = (project: Project = THIS_PROJECT) =>
  defineCommand({
    help: usage(),
    root: project.root,
    options: {
      preset: { type: 'string' },
      env: { type: 'string', default: 'default' },
      set: { type: 'string', multiple: true, default: [] },
    },
    run: ({ env, preset, set }, _positionals, io) => {
      io.stdout(renderKubernetes({ environment: env, preset, set }, project.environments));
    },
  });

/** `npm run render`, as cli/render.ts runs it. */
export const RENDER_COMMAND = renderCommand();

function usage(): string {
  const width = Math.max(...TRAFFIC_PRESET_NAMES.map((n) => n.length));
  const presets = TRAFFIC_PRESET_NAMES.map((name) => `  ${name.padEnd(width)}  ${TRAFFIC_PRESETS[name].description}`);
  return [
    'usage: npm run -s render -- [--preset NAME] [--env ENV] [--set PATH=VALUE]...   (or: node cli/run.mjs render ...)',
    '',
    "Prints an environment's Kubernetes objects (default environment: default) with a traffic preset",
    "(default: the environment's own) as a YAML stream. --set overrides any field of the environment for this",
    'render, as helm --set does (repeatable; VALUE is JSON or a plain string): --set traffic.preset=reviews-v3,',
    '--set bookinfo.replicas=2, --set \'services=[{"name":"payments",...}]\', --set services.0.port=8081. Presets:',
    ...presets,
    '',
  ].join('\n');
}
