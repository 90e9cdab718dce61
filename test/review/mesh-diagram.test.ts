import type { ChartManifests, Manifest } from '../../kube/object';
import { synthesizeKubernetes } from '../../cdk8s/kubernetes-app';
import { mermaidFlowchart } from '../../review/mermaid-flowchart';
import { meshDiagram } from '../../review/mesh-diagram';
import { meshGraph } from '../../review/mesh-graph';
import { defaultEnvironment } from '../helpers/environments';
import { bookinfo, INGRESS, reviews8020, reviewsTestV2 } from './fixtures/bookinfo-mesh';

const flowchart = (...routes: Manifest[]) =>
  mermaidFlowchart(meshGraph(bookinfo(...routes), { ingressGateway: INGRESS }));
const chart = (...manifests: Manifest[]): ChartManifests[] => [{ file: '0000-all.k8s.yaml', manifests }];

describe('two route sets, as Mermaid', () => {
  test('reviews-80-20: the weighted edges to v1 and v2', () => {
    const lines = flowchart(reviews8020).split('\n');
    expect(lines).toContain('  service_bookinfo_reviews -->|"80%"| workload_bookinfo_reviews_v1');
    expect(lines).toContain('  service_bookinfo_reviews -->|"20%"| workload_bookinfo_reviews_v2');
    expect(lines.filter((l) => l.startsWith('  service_bookinfo_reviews -->'))).toHaveLength(2);
  });

  test('reviews-test-v2: the header match to v2 and the fallback to v1', () => {
    const lines = flowchart(reviewsTestV2).split('\n');
    expect(lines).toContain('  service_bookinfo_reviews -->|"end-user: jason"| workload_bookinfo_reviews_v2');
    expect(lines).toContain('  service_bookinfo_reviews -->|"otherwise"| workload_bookinfo_reviews_v1');
  });

  test('the gateway, namespaces, mTLS and authorization', () => {
    const text = flowchart(reviews8020);
    expect(text.startsWith('flowchart LR\n')).toBe(true);
    expect(text).toContain('  clients --> ingress_istio_system_istio_ingressgateway\n');
    expect(text).toContain(
      '  ingress_istio_system_istio_ingressgateway -->|"= /productpage<br/>/static*<br/>= /login<br/>= /logout<br/>/api/v1/products*"| service_bookinfo_productpage\n',
    );
    expect(text).toContain('  subgraph namespace_bookinfo["namespace bookinfo · mTLS STRICT · deny by default"]\n');
    expect(text).toContain('  service_bookinfo_productpage -.->|"allow GET :9080"| service_bookinfo_reviews\n');
    expect(text).toContain('    service_bookinfo_reviews(["reviews :9080<br/>TLS ISTIO_MUTUAL"])\n');
    expect(text).toContain('    workload_bookinfo_reviews_v3["reviews-v3<br/>v3 · 1 replica · sidecar"]\n');
  });

  test('every node an edge names is declared, and subgraphs are closed', () => {
    const text = flowchart(reviewsTestV2);
    const declared = new Set([...text.matchAll(/^\s+(?:subgraph )?(\w+)[[({>]/gm)].map((m) => m[1]));
    for (const [, from, to] of text.matchAll(/^\s+(\w+) -\.?->(?:\|"[^"]*"\|)? (\w+)$/gm)) {
      expect(declared).toContain(from);
      expect(declared).toContain(to);
    }
    expect(text.match(/^\s+subgraph /gm)!.length).toBe(text.match(/^\s+end$/gm)!.length);
  });
});

test('labels escape what Mermaid would read as syntax', () => {
  const graph = meshGraph([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { app: 'web' } },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        hosts: ['web'],
        http: [{ match: [{ headers: { x: { regex: 'a|"b"<c>#`' } } }], route: [{ destination: { host: 'web' } }] }],
      },
    },
  ]);
  expect(mermaidFlowchart(graph)).toContain('|"x ~ a#124;#34;b#34;#60;c#62;#35;#96;"|');
});

test('node ids stay unique when keys differ only in punctuation', () => {
  const objects: Manifest[] = ['a-b', 'a.b'].map((name) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'n' },
  }));
  const text = mermaidFlowchart(meshGraph(objects));
  expect(text).toContain('    service_n_a_b(["a-b"])');
  expect(text).toContain('    service_n_a_b_2(["a.b"])');
});

test('nodes with a warning get the warning class', () => {
  const text = flowchart({
    ...reviews8020,
    spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v7' } }] }] },
  });
  expect(text).toContain('  class missing_bookinfo_subset_v7_of_reviews warning\n');
});

describe('the diagram file', () => {
  test('of the default environment: every synthesized Service and Deployment is a node of its namespace', () => {
    const env = defaultEnvironment();
    const charts = synthesizeKubernetes(env);
    const diagram = meshDiagram(env, charts);
    expect(diagram).toMatchSnapshot();
    expect(diagram).toMatch(/^# The mesh of environment default\n/);
    expect(diagram).toContain('`dist/cdk8s/default`');
    expect(diagram).toContain('```mermaid\nflowchart LR\n');
    expect(diagram).toContain('  subgraph namespace_bookinfo["namespace bookinfo · mTLS STRICT · deny by default"]\n');
    expect(diagram.endsWith('```\n')).toBe(true);
    const objects = charts.flatMap((c) => c.manifests).filter((m) => m.kind === 'Service' || m.kind === 'Deployment');
    for (const m of objects) {
      const id = `${m.kind === 'Service' ? 'service' : 'workload'}_${m.metadata.namespace}_${m.metadata.name}`.replace(
        /[^A-Za-z0-9]+/g,
        '_',
      );
      expect(diagram).toContain(`\n    ${id}`);
    }
    expect(diagram.includes('no workloads yet')).toBe(objects.length === 0);
  });

  test('draws whatever objects the charts hold, with the environment ingress gateway', () => {
    const diagram = meshDiagram(defaultEnvironment(), chart(...bookinfo(reviews8020)));
    expect(diagram).toContain('ingress_istio_ingress_istio_ingressgateway{{"istio-ingressgateway (ingress gateway)');
    expect(diagram).toContain('  service_bookinfo_reviews -->|"80%"| workload_bookinfo_reviews_v1\n');
  });

  test('lists mesh-wide facts above the diagram', () => {
    const objects = [
      ...bookinfo(),
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'PeerAuthentication',
        metadata: { name: 'default', namespace: 'istio-system' },
        spec: { mtls: { mode: 'STRICT' } },
      },
    ];
    expect(meshDiagram(defaultEnvironment(), chart(...objects))).toContain(
      '- mTLS STRICT in the whole mesh (PeerAuthentication istio-system/default)\n```mermaid\n',
    );
  });
});

// The diagram of synthesized presets: every weighted destination of the reviews VirtualService the synth writes is an
// edge with its weight, to the Deployment of that subset.
describe.each(['reviews-80-20', 'reviews-50-v3'] as const)('the synthesized preset %s', (preset) => {
  const env = defaultEnvironment((e) => ({ ...e, traffic: { preset } }));
  const charts = synthesizeKubernetes(env);
  const reviews = charts
    .flatMap((c) => c.manifests)
    .find((m) => m.kind === 'VirtualService' && m.metadata.name === 'reviews') as Manifest & {
    spec: { http: { route: { destination: { subset: string }; weight?: number }[] }[] };
  };
  const diagram = meshDiagram(env, charts);

  test('draws each weighted route of reviews as an edge with its weight', () => {
    const routes = reviews.spec.http.flatMap((rule) => rule.route).filter((route) => route.weight);
    expect(routes.length).toBeGreaterThanOrEqual(2);
    for (const { destination, weight } of routes) {
      expect(diagram).toContain(
        `  service_bookinfo_reviews -->|"${weight}%"| workload_bookinfo_reviews_${destination.subset}\n`,
      );
    }
    expect(diagram.split('\n').filter((l) => l.startsWith('  service_bookinfo_reviews -->'))).toHaveLength(
      routes.length,
    );
  });
});
