import type { Manifest } from '../../kube/object';
import { meshGraph, type MeshEdge, type MeshGraph } from '../../review/mesh-graph';
import {
  bookinfo,
  INGRESS,
  ratingsTestDelay,
  reviews8020,
  reviewsTestV2,
  virtualService,
} from './fixtures/bookinfo-mesh';

const INGRESS_NODE = 'ingress istio-system/istio-ingressgateway';
const svc = (name: string) => `service bookinfo/${name}`;
const pod = (name: string) => `workload bookinfo/${name}`;

const graphOf = (...routes: Manifest[]) => meshGraph(bookinfo(...routes), { ingressGateway: INGRESS });
const traffic = (graph: MeshGraph, from: string) =>
  graph.edges.filter((e) => e.style === 'traffic' && e.from === from).map(({ to, lines }) => ({ to, lines }));
const authorization = (graph: MeshGraph) =>
  graph.edges.filter((e) => e.style === 'authorization').map(({ from, to, lines }) => ({ from, to, lines }));
const node = (graph: MeshGraph, key: string) =>
  [...graph.nodes, ...graph.groups.flatMap((g) => g.nodes)].find((n) => n.key === key);

describe('reviews-80-20', () => {
  const graph = graphOf(reviews8020);

  test('reviews splits 80/20 between v1 and v2, and v3 gets nothing', () => {
    expect(traffic(graph, svc('reviews'))).toEqual([
      { to: pod('reviews-v1'), lines: ['80%'] },
      { to: pod('reviews-v2'), lines: ['20%'] },
    ]);
  });

  test('services without routes spread requests over all their pods', () => {
    expect(traffic(graph, svc('details'))).toEqual([{ to: pod('details-v1'), lines: [] }]);
    expect(traffic(graph, svc('productpage'))).toEqual([{ to: pod('productpage-v1'), lines: [] }]);
  });

  test("clients reach the ingress gateway, which routes the tutorial's five paths to productpage", () => {
    expect(traffic(graph, 'clients')).toEqual([{ to: INGRESS_NODE, lines: [] }]);
    expect(traffic(graph, INGRESS_NODE)).toEqual([
      { to: svc('productpage'), lines: ['= /productpage\n/static*\n= /login\n= /logout\n/api/v1/products*'] },
    ]);
    expect(node(graph, INGRESS_NODE)!.lines).toEqual([
      'istio-ingressgateway (ingress gateway)',
      'Gateway bookinfo-gateway: HTTP :80 *',
    ]);
  });
});

describe('reviews-test-v2 with ratings-test-delay', () => {
  const graph = graphOf(reviewsTestV2, ratingsTestDelay);

  test('jason goes to reviews v2, everyone else to v1', () => {
    expect(traffic(graph, svc('reviews'))).toEqual([
      { to: pod('reviews-v2'), lines: ['end-user: jason'] },
      { to: pod('reviews-v1'), lines: ['otherwise'] },
    ]);
  });

  test("jason's requests to ratings wait 7 s", () => {
    expect(traffic(graph, svc('ratings'))).toEqual([
      { to: pod('ratings-v1'), lines: ['end-user: jason', 'fault: delay 7s (100%)'] },
      { to: pod('ratings-v1'), lines: ['otherwise'] },
    ]);
  });
});

describe('security', () => {
  const graph = graphOf(reviews8020);

  test('the namespace says its mTLS mode and that it denies by default', () => {
    expect(graph.groups.find((g) => g.key === 'namespace bookinfo')!.facts).toEqual(['mTLS STRICT', 'deny by default']);
  });

  test('authorization edges name who may call whom: services where all their pods may, single workloads otherwise', () => {
    expect(authorization(graph)).toEqual([
      { from: INGRESS_NODE, to: svc('productpage'), lines: ['allow GET :9080'] },
      { from: svc('productpage'), to: svc('details'), lines: ['allow GET :9080'] },
      { from: svc('productpage'), to: svc('reviews'), lines: ['allow GET :9080'] },
      { from: pod('reviews-v2'), to: svc('ratings'), lines: ['allow GET :9080'] },
      { from: pod('reviews-v3'), to: svc('ratings'), lines: ['allow GET :9080'] },
    ]);
  });

  test('destination rules show their client TLS mode on the service', () => {
    expect(node(graph, svc('reviews'))!.lines).toEqual(['reviews :9080', 'TLS ISTIO_MUTUAL']);
  });

  test('a mesh-wide PeerAuthentication in the root namespace applies to every namespace', () => {
    const objects = bookinfo().filter((m) => m.kind !== 'PeerAuthentication');
    objects.push({
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: 'istio-system' },
      spec: { mtls: { mode: 'STRICT' } },
    });
    const mesh = meshGraph(objects, { ingressGateway: INGRESS });
    expect(mesh.notes).toEqual(['mTLS STRICT in the whole mesh (PeerAuthentication istio-system/default)']);
    expect(mesh.groups.find((g) => g.key === 'namespace bookinfo')!.facts[0]).toBe('mTLS STRICT (mesh-wide)');
  });

  test('without any PeerAuthentication, the namespace is PERMISSIVE', () => {
    const mesh = meshGraph(bookinfo().filter((m) => m.kind !== 'PeerAuthentication'));
    expect(mesh.groups.find((g) => g.key === 'namespace bookinfo')!.facts[0]).toBe('mTLS PERMISSIVE (default)');
  });
});

describe('what a reviewer should notice', () => {
  test('a route to a subset that no destination rule defines', () => {
    const graph = graphOf(virtualService('reviews', [{ route: [{ destination: { host: 'reviews', subset: 'v9' } }] }]));
    const missing = node(graph, 'missing bookinfo subset v9 of reviews');
    expect(missing).toEqual(
      expect.objectContaining({ warning: true, lines: ['subset v9 of reviews', 'no DestinationRule defines it'] }),
    );
    expect(traffic(graph, svc('reviews'))).toEqual([{ to: missing!.key, lines: [] }]);
  });

  test('a subset whose pods are not deployed', () => {
    const graph = graphOf(virtualService('details', [{ route: [{ destination: { host: 'details', subset: 'v2' } }] }]));
    expect(node(graph, 'missing bookinfo subset v2 of details')).toEqual(
      expect.objectContaining({ lines: ['subset v2 of details', 'no pods'] }),
    );
  });

  test('a workload without a sidecar', () => {
    const objects = bookinfo().map((m) =>
      m.metadata.name === 'details-v1'
        ? {
            ...m,
            spec: {
              template: {
                metadata: { labels: { app: 'details', version: 'v1' } },
                spec: { containers: [{ name: 'details' }] },
              },
            },
          }
        : m,
    );
    expect(node(meshGraph(objects), pod('details-v1'))).toEqual(
      expect.objectContaining({ warning: true, lines: ['details-v1', 'v1 · 1 replica · no sidecar'] }),
    );
  });
});

describe('more routing', () => {
  const edges = (http: unknown[]): Pick<MeshEdge, 'to' | 'lines'>[] =>
    traffic(graphOf(virtualService('ratings', http)), svc('ratings'));

  test('aborts, timeouts, retries and mirroring are on the edge', () => {
    expect(
      edges([
        {
          fault: { abort: { httpStatus: 500, percentage: { value: 100 } } },
          timeout: '10s',
          retries: { attempts: 3, perTryTimeout: '2s' },
          mirror: { host: 'ratings', subset: 'v1' },
          mirrorPercentage: { value: 50 },
          route: [{ destination: { host: 'ratings', subset: 'v1' } }],
        },
      ]),
    ).toEqual([
      {
        to: pod('ratings-v1'),
        lines: ['fault: abort 500 (100%)', 'timeout 10s', 'retries 3 × 2s', 'mirror to ratings v1 (50%)'],
      },
    ]);
  });

  test('header prefix and regex matches, methods, and several conditions in one match', () => {
    expect(
      edges([
        {
          match: [
            { headers: { 'end-user': { prefix: 'ja' } }, method: { exact: 'GET' } },
            { headers: { cookie: { regex: '^(.*?;)?(user=jason)(;.*)?$' } } },
          ],
          route: [{ destination: { host: 'ratings', subset: 'v1' } }],
        },
      ]),
    ).toEqual([
      { to: pod('ratings-v1'), lines: ['method: GET and end-user: ja*\ncookie ~ ^(.*?;)?(user=jason)(;.*)?$'] },
    ]);
  });

  test('a route to the service itself reaches all its pods; a route to another service reaches that service', () => {
    const graph = graphOf(
      virtualService('reviews', [{ route: [{ destination: { host: 'reviews.bookinfo.svc.cluster.local' } }] }]),
    );
    expect(traffic(graph, svc('reviews')).map((e) => e.to)).toEqual([
      pod('reviews-v1'),
      pod('reviews-v2'),
      pod('reviews-v3'),
    ]);
    const elsewhere = graphOf(virtualService('reviews', [{ route: [{ destination: { host: 'ratings' } }] }]));
    expect(traffic(elsewhere, svc('reviews'))).toEqual([{ to: svc('ratings'), lines: [] }]);
  });

  test('hosts outside the mesh objects are external nodes', () => {
    const graph = graphOf(virtualService('reviews', [{ route: [{ destination: { host: 'httpbin.org' } }] }]));
    expect(traffic(graph, svc('reviews'))).toEqual([{ to: 'external httpbin.org', lines: [] }]);
    expect(node(graph, 'external httpbin.org')!.kind).toBe('external');
  });
});

test('a namespace with nothing in it yet says so', () => {
  const graph = meshGraph([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bookinfo' } }]);
  expect(graph.groups).toEqual([
    {
      key: 'namespace bookinfo',
      title: 'namespace bookinfo',
      facts: ['mTLS PERMISSIVE (default)'],
      nodes: [{ key: 'namespace bookinfo empty', kind: 'empty', lines: ['no workloads yet'] }],
    },
  ]);
  expect(graph.edges).toEqual([]);
});

test('services come with their workloads, in the order of the objects', () => {
  const group = graphOf().groups.find((g) => g.key === 'namespace bookinfo')!;
  expect(group.nodes.map((n) => n.key)).toEqual([
    svc('details'),
    pod('details-v1'),
    svc('ratings'),
    pod('ratings-v1'),
    svc('reviews'),
    pod('reviews-v1'),
    pod('reviews-v2'),
    pod('reviews-v3'),
    svc('productpage'),
    pod('productpage-v1'),
  ]);
});
