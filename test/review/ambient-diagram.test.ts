import { meshGraph } from '../../review/mesh-graph';
import { meshDiagram } from '../../review/mesh-diagram';
import { synthesizeKubernetes } from '../../cdk8s/kubernetes-app';
import { testEnvironment } from '../helpers/environments';

const env = testEnvironment((e) => {
  e.mesh = { dataplane: 'ambient' };
});
const charts = synthesizeKubernetes(env);
const graph = meshGraph(
  charts.flatMap((c) => c.manifests),
  { ingressGateway: env.ingressGateway },
);
const bookinfo = graph.groups.find((g) => g.key === 'namespace bookinfo')!;
const edge = (from: string, to: string) => graph.edges.filter((e) => e.from === from && e.to === to);

describe('the diagram of an ambient environment', () => {
  test('the namespace says ztunnel carries it, and its pods run without sidecars, on ztunnel', () => {
    expect(bookinfo.facts).toEqual(expect.arrayContaining(['ambient: ztunnel on every node (mTLS, L4)']));
    const workloads = bookinfo.nodes.filter((n) => n.kind === 'workload');
    expect(workloads.length).toBeGreaterThan(3);
    for (const w of workloads)
      expect(w).toMatchObject({ lines: [expect.any(String), expect.stringMatching(/ztunnel$/)] });
    expect(workloads.some((w) => w.warning)).toBe(false);
  });

  test('each waypoint is a node, deny by default, which its Service sends requests through', () => {
    const waypoints = bookinfo.nodes.filter((n) => n.kind === 'waypoint').map((n) => n.lines);
    expect(waypoints).toEqual(
      ['details', 'ratings', 'reviews', 'productpage'].map((s) => [`${s}-waypoint (waypoint)`, 'deny by default']),
    );
    expect(edge('service bookinfo/reviews', 'waypoint bookinfo/reviews-waypoint')).toEqual([
      {
        from: 'service bookinfo/reviews',
        to: 'waypoint bookinfo/reviews-waypoint',
        style: 'traffic',
        lines: ['through its waypoint (L7)'],
      },
    ]);
  });

  test('authorization says its layer: L7 from the callers at the waypoint, L4 from the waypoint to the pods', () => {
    expect(edge('service bookinfo/productpage', 'service bookinfo/details')[0].lines).toEqual([
      'L7 allow GET :9080 /details/*',
    ]);
    expect(edge('waypoint bookinfo/details-waypoint', 'service bookinfo/details')[0].lines).toEqual(['L4 allow :9080']);
  });

  test('the Markdown explains the ambient shapes', () => {
    expect(meshDiagram(env, charts)).toContain('Ambient: ztunnel carries the pods of an ambient namespace');
    expect(meshDiagram(testEnvironment(), synthesizeKubernetes(testEnvironment()))).not.toContain('Ambient:');
  });
});
