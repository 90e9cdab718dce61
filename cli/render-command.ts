// `npm run -s render -- [--preset NAME] [--env ENV] [--set PATH=VALUE]...`: one environment's Kubernetes output with a traffic preset, as a
// YAML stream on stdout (`kubectl apply -f <(npm run -s render -- --preset reviews-v3)`). dist/ is not touched.
import { TRAFFIC_PRESET_NAMES, TRAFFIC_PRESETS } from '../config';
import { defineCommand } from './command';

/** `npm run render`, for cli/render.ts to run and tests to run in process (executeCommand). */
export const RENDER_COMMAND = defineCommand({
  help: usage(),
  options: {
    preset: { type: 'string' },
    env: { type: 'string', default: 'default' },
    set: { type: 'string', multiple: true, default: [] },
  },
  run: ({ env, preset, set }, _positionals, io) => {
    // loaded here rather than at the top, so that --help and a usage error answer without loading cdk8s
    const { renderKubernetes } = require('../pipeline/render') as typeof import('../pipeline/render');
    io.stdout(renderKubernetes({ environment: env, preset, set }));
  },
});

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
