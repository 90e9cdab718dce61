// `npm run -s render -- [--preset NAME] [--env ENV]`: one environment's Kubernetes output with a traffic preset, as a
// YAML stream on stdout (`kubectl apply -f <(npm run -s render -- --preset reviews-v3)`). dist/ is not touched.
import { TRAFFIC_PRESET_NAMES, TRAFFIC_PRESETS } from '../config';
import { renderKubernetes } from '../pipeline/render';
import { runCommand } from './command';

runCommand({
  help: usage(),
  options: { preset: { type: 'string' }, env: { type: 'string', default: 'default' } },
  run: ({ env, preset }) => {
    process.stdout.write(renderKubernetes({ environment: env, preset }));
  },
});

function usage(): string {
  const width = Math.max(...TRAFFIC_PRESET_NAMES.map((n) => n.length));
  const presets = TRAFFIC_PRESET_NAMES.map((name) => `  ${name.padEnd(width)}  ${TRAFFIC_PRESETS[name].description}`);
  return [
    'usage: npm run -s render -- [--preset NAME] [--env ENV]   (or: node cli/run.mjs render ...)',
    '',
    "Prints an environment's Kubernetes objects (default environment: default) with a traffic preset",
    "(default: the environment's own) as a YAML stream. Presets:",
    ...presets,
    '',
  ].join('\n');
}
