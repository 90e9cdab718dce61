// `npm run synth`: both apps, every environment, into dist/ (atomically: dist/ changes only if everything succeeds).
import * as path from 'node:path';
import { loadEnvironments } from '../config';
import { PROJECT_ROOT } from '../pipeline/project-root';
import { synthesizeToDist, type EnvironmentOutput } from '../pipeline/synthesize';
import { runCommand } from './command';

runCommand(() => {
  const outputs = synthesizeToDist(loadEnvironments(), path.join(PROJECT_ROOT, 'dist'));
  process.stdout.write(summarize(outputs));
});

function summarize(outputs: readonly EnvironmentOutput[]): string {
  const lines = outputs.map((env) => {
    const charts = env.charts.map((c) => `${c.file} (${Object.entries(c.kinds).map(([k, n]) => `${n} ${k}`).join(', ')})`);
    const warnings = env.warnings.map((w) => `\n    warning: ${w}`).join('');
    return `  ${env.name}: stacks ${env.stacks.join(', ')} in dist/cdktf; ${charts.join('; ')}${warnings}`;
  });
  return `Synthesized ${outputs.length} environment(s) into dist/:\n${lines.join('\n')}\n`;
}
