// `npm run -s render -- [--preset NAME] [--env ENV]`: one environment's Kubernetes output with a traffic preset, as a
// YAML stream on stdout (`kubectl apply -f <(npm run -s render -- --preset reviews-v3)`). dist/ is not touched.
import { parseArgs } from 'node:util';
import { TRAFFIC_PRESET_NAMES, TRAFFIC_PRESETS } from '../config';
import { renderKubernetes } from '../pipeline/render';
import { runCommand } from './command';

runCommand(() => {
  const { values } = parseArgs({
    options: {
      preset: { type: 'string' },
      env: { type: 'string', default: 'default' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(usage());
    return;
  }
  process.stdout.write(renderKubernetes({ environment: values.env, preset: values.preset }));
});

function usage(): string {
  const width = Math.max(...TRAFFIC_PRESET_NAMES.map((n) => n.length));
  const presets = TRAFFIC_PRESET_NAMES.map((name) => `  ${name.padEnd(width)}  ${TRAFFIC_PRESETS[name].description}`);
  return [
    'usage: npm run -s render -- [--preset NAME] [--env ENV]',
    '',
    "Prints an environment's Kubernetes objects (default environment: default) with a traffic preset",
    "(default: the environment's own) as a YAML stream. Presets:",
    ...presets,
    '',
  ].join('\n');
}
