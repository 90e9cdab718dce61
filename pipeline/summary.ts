import * as path from 'node:path';
import type { EnvironmentOutput } from './synthesize';

/**
 * What `npm run synth` prints on success: per environment, the Terraform stacks, the Kubernetes files with their
 * objects by kind, the Argo CD application and the mesh diagram, where each is, and any warnings.
 *
 * @param dist how the output folder is named in the summary
 */
export function synthSummary(outputs: readonly EnvironmentOutput[], dist = 'dist'): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = [`Synthesized ${plural(outputs.length, 'environment')} into ${dist}/:`];
  for (const env of outputs) {
    const totals: Record<string, number> = {};
    for (const chart of env.charts)
      for (const [kind, n] of Object.entries(chart.kinds)) totals[kind] = (totals[kind] ?? 0) + n;
    const objects = Object.values(totals).reduce((a, b) => a + b, 0);
    const width = Math.max(0, ...env.charts.map((chart) => path.posix.basename(chart.file).length));
    const order = env.stacks.length > 1 ? ' (deploy in this order)' : '';
    lines.push(
      '',
      env.name,
      `  Terraform   ${env.stacks.join(', ')}${order} in ${dist}/cdktf/stacks/`,
      `  Kubernetes  ${plural(objects, 'object')} in ${dist}/cdk8s/${env.name}/: ${describeKinds(totals)}`,
      ...env.charts.map(
        (chart) => `                ${path.posix.basename(chart.file).padEnd(width)}  ${describeKinds(chart.kinds)}`,
      ),
      `  Argo CD     ${dist}/${env.application}`,
      `  Diagram     ${dist}/${env.diagram}`,
      ...env.warnings.map((warning) => `  warning: ${warning}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

function describeKinds(kinds: Record<string, number>): string {
  return (
    Object.entries(kinds)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ') || 'nothing'
  );
}
