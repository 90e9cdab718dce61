import type { MeshGraph, MeshNode } from './mesh-graph';

/** The shape of each kind of node, as Mermaid's opening and closing brackets. */
const SHAPES: Record<MeshNode['kind'], readonly [string, string]> = {
  clients: ['((', '))'],
  anyone: ['((', '))'],
  ingress: ['{{', '}}'],
  waypoint: ['[[', ']]'],
  service: ['([', '])'],
  workload: ['[', ']'],
  identity: ['>', ']'],
  external: ['[/', '/]'],
  missing: ['[', ']'],
  empty: ['[', ']'],
};

/**
 * Renders a mesh graph as a Mermaid flowchart, left to right: namespaces as subgraphs, routes as solid arrows,
 * authorization as dotted ones, nodes with a warning in the `warning` class.
 */
export function mermaidFlowchart(graph: MeshGraph): string {
  const ids = new MermaidIds();
  const out = ['flowchart LR'];
  const node = (n: MeshNode, indent: string) => {
    const [open, close] = SHAPES[n.kind];
    out.push(`${indent}${ids.of(n.key)}${open}"${text(n.lines)}"${close}`);
  };
  for (const n of graph.nodes) node(n, '  ');
  for (const group of graph.groups) {
    out.push(`  subgraph ${ids.of(group.key)}["${text([[group.title, ...group.facts].join(' · ')])}"]`);
    for (const n of group.nodes) node(n, '    ');
    out.push('  end');
  }
  for (const edge of graph.edges) {
    const arrow = edge.style === 'traffic' ? '-->' : '-.->';
    const label = edge.lines.length ? `|"${text(edge.lines)}"|` : '';
    out.push(`  ${ids.of(edge.from)} ${arrow}${label} ${ids.of(edge.to)}`);
  }
  const warnings = [...graph.nodes, ...graph.groups.flatMap((g) => g.nodes)].filter((n) => n.warning);
  if (warnings.length > 0) {
    out.push('  classDef warning fill:#fff4e5,stroke:#d9822b,stroke-width:2px');
    out.push(`  class ${warnings.map((n) => ids.of(n.key)).join(',')} warning`);
  }
  return `${out.join('\n')}\n`;
}

/** Text for a quoted Mermaid label: lines joined by `<br/>`, characters Mermaid would read as syntax escaped. */
function text(lines: readonly string[]): string {
  return lines
    .flatMap((line) => line.split('\n'))
    .map((line) => line.replace(/[#"<>|`]/g, (c) => `#${c.codePointAt(0)};`))
    .join('<br/>');
}

/** Mermaid node ids from graph keys: letters, digits and `_`, unique, stable for the same graph. */
class MermaidIds {
  private readonly byKey = new Map<string, string>();
  private readonly used = new Set<string>();

  of(key: string): string {
    let id = this.byKey.get(key);
    if (id) return id;
    const base = key.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'node';
    id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.byKey.set(key, id);
    this.used.add(id);
    return id;
  }
}
