import { KUBERNETES_OUTDIR } from '../cdk8s/kubernetes-app';
import type { ChartManifests } from '../kube/object';
import type { Environment } from '../config';
import { mermaidFlowchart } from './mermaid-flowchart';
import { meshGraph } from './mesh-graph';

/**
 * The mesh diagram of an environment as Markdown (which GitHub renders): a Mermaid flowchart drawn from the
 * environment's synthesized objects, so it cannot drift from them.
 */
export function meshDiagram(env: Environment, charts: readonly ChartManifests[]): string {
  const graph = meshGraph(
    charts.flatMap((c) => c.manifests),
    { ingressGateway: env.ingressGateway },
  );
  const notes = graph.notes.map((note) => `- ${note}\n`).join('');
  const ambient = graph.groups.some((g) =>
    g.nodes.some((n) => n.kind === 'waypoint' || n.lines.join().includes('ztunnel')),
  );
  return [
    `# The mesh of environment ${env.name}\n`,
    `Drawn by \`npm run synth\` from the objects in \`${KUBERNETES_OUTDIR}/${env.name}\`; never edited by hand.`,
    'Solid arrows: where requests go, with the matches, weights, faults, timeouts and retries of the routes.',
    `Dotted arrows: what authorization policies allow. Each namespace says its mTLS mode.${ambient ? '' : '\n'}`,
    ...(ambient
      ? [
          'Ambient: ztunnel carries the pods of an ambient namespace (mTLS, L4 authorization); a Service with a ' +
            'waypoint (double-bordered) sends its requests through it, which routes them and enforces the L7 ' +
            "policies; 'L4' policies are ztunnel's, where a waypoint is the caller its pods see.\n",
        ]
      : []),
    `${notes}\`\`\`mermaid\n${mermaidFlowchart(graph)}\`\`\`\n`,
  ].join('\n');
}
