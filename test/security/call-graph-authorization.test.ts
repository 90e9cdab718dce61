import type { Manifest } from '../../kube/object';
import { CallGraph } from '../../cdk8s/security/call-graph';
import { BOOKINFO_CALL_GRAPH, serviceCatalogue, type CallEdge, type EnvironmentInput } from '../../config';
import { defaultEnvironment } from '../helpers/environments';
import { objectsOf } from '../helpers/manifests';

const policiesOf = (change: (e: EnvironmentInput) => EnvironmentInput = (e) => e) =>
  objectsOf(defaultEnvironment(change)).filter((m) => m.kind === 'AuthorizationPolicy');
const withGraph = (callGraph: CallEdge[]) => (e: EnvironmentInput) => ({ ...e, callGraph });

/** Who may call each service, as `principal METHODS :port paths`, from the ALLOW policies. */
function allowed(policies: readonly Manifest[]): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const policy of policies.filter((p) => p.metadata.name !== 'allow-nothing')) {
    const spec = policy.spec as {
      action: string;
      selector: { matchLabels: { app: string } };
      rules: {
        from: { source: { principals: string[] } }[];
        to: { operation: { methods: string[]; ports: string[]; paths?: string[] } }[];
      }[];
    };
    expect(spec.action).toBe('ALLOW');
    result[spec.selector.matchLabels.app] = spec.rules.map((rule) => {
      const { methods, ports, paths } = rule.to[0].operation;
      return `${rule.from[0].source.principals.join(',')} ${methods.join(',')} :${ports.join(',')}${paths ? ` ${paths.join(',')}` : ''}`;
    });
  }
  return result;
}

// The gateway runs in a namespace of its own (mesh.gatewayNamespace, istio-ingress by default).
const GATEWAY = 'cluster.local/ns/istio-ingress/sa/istio-ingressgateway';
const PRODUCTPAGE = 'cluster.local/ns/bookinfo/sa/bookinfo-productpage';
const REVIEWS = 'cluster.local/ns/bookinfo/sa/bookinfo-reviews';

describe("Bookinfo's call graph", () => {
  const policies = policiesOf();

  test('denies by default: an empty ALLOW policy for the whole namespace comes first', () => {
    expect(policies[0]).toMatchObject({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'allow-nothing', namespace: 'bookinfo' },
      spec: {},
    });
  });

  test('allows exactly the calls of the graph, by service-account principal, method, port and path', () => {
    expect(allowed(policies)).toEqual({
      productpage: [`${GATEWAY} GET,HEAD,POST :9080`],
      details: [`${PRODUCTPAGE} GET :9080 /details/*`],
      reviews: [`${PRODUCTPAGE} GET :9080 /reviews/*`],
      ratings: [`${REVIEWS} GET :9080 /ratings/*`],
    });
  });

  test('one policy per called service, selecting its pods by app label, in the namespace', () => {
    expect(policies.map((p) => p.metadata.name)).toEqual([
      'allow-nothing',
      'details-callers',
      'ratings-callers',
      'reviews-callers',
      'productpage-callers',
    ]);
    for (const policy of policies.slice(1)) expect(policy.metadata.namespace).toBe('bookinfo');
  });

  test('snapshot', () => {
    expect(policies).toMatchSnapshot();
  });
});

test("the ingress gateway's principal follows the control plane (the GKE add-on's gateway has its own account)", () => {
  const productpage = allowed(policiesOf((e) => ({ ...e, mesh: { mode: 'gke-istio-addon' } }))).productpage;
  expect(productpage).toEqual([
    'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account GET,HEAD,POST :9080',
  ]);
  const csm = allowed(policiesOf((e) => ({ ...e, mesh: { mode: 'cloud-service-mesh' } }))).productpage;
  expect(csm).toEqual(['cluster.local/ns/istio-ingress/sa/istio-ingressgateway GET,HEAD,POST :9080']);
});

test('principals follow the namespace', () => {
  expect(allowed(policiesOf((e) => ({ ...e, namespace: 'shop' }))).details).toEqual([
    'cluster.local/ns/shop/sa/bookinfo-productpage GET :9080 /details/*',
  ]);
});

test('adding an edge opens exactly that path, and nothing else', () => {
  const before = allowed(policiesOf());
  const after = allowed(
    policiesOf(withGraph([...BOOKINFO_CALL_GRAPH, { from: 'productpage', to: 'ratings', methods: ['GET'] }])),
  );
  expect(after).toEqual({ ...before, ratings: [...before.ratings, `${PRODUCTPAGE} GET :9080`] });
});

test('a service no edge calls gets no ALLOW policy, so allow-nothing denies every call to it', () => {
  const graph = BOOKINFO_CALL_GRAPH.filter((edge) => edge.to !== 'details');
  const policies = policiesOf(withGraph(graph));
  expect(policies.map((p) => p.metadata.name)).not.toContain('details-callers');
  expect(policies.map((p) => p.metadata.name)).toContain('allow-nothing');
});

test('with only reviews v1 deployed, nothing calls ratings, so ratings admits no one', () => {
  const policies = policiesOf((e) => ({ ...e, bookinfo: { versions: { reviews: ['v1'] } } }));
  expect(Object.keys(allowed(policies)).sort()).toEqual(['details', 'productpage', 'reviews']);
});

test('authorization off writes no policies (mTLS stays)', () => {
  const objects = objectsOf(defaultEnvironment((e) => ({ ...e, security: { authorization: 'off' } })));
  expect(objects.filter((m) => m.kind === 'AuthorizationPolicy')).toEqual([]);
  expect(objects.filter((m) => m.kind === 'PeerAuthentication')).toHaveLength(1);
});

describe('a bad call-graph edge stops the synth with an error naming the edge and the value', () => {
  const edge = (change: Partial<CallEdge>): CallEdge => ({
    from: 'productpage',
    to: 'details',
    methods: ['GET'],
    ...change,
  });
  test.each<[string, CallEdge, string]>([
    [
      'an edge to an unknown service',
      edge({ to: 'payments' }),
      'call-graph edge "productpage -> payments" to = "payments": is not a service of the mesh; services: productpage, details, ratings, reviews',
    ],
    [
      'an edge from an unknown service',
      edge({ from: 'frontend' }),
      'call-graph edge "frontend -> details" from = "frontend": is not a service of the mesh nor "ingress-gateway"',
    ],
    [
      'an edge to the ingress gateway',
      edge({ to: 'ingress-gateway' }),
      'call-graph edge "productpage -> ingress-gateway" to = "ingress-gateway": is not a service of the mesh',
    ],
    [
      'a caller version that does not exist',
      edge({ from: 'reviews', fromVersions: ['v4'], to: 'ratings' }),
      'call-graph edge "reviews (v4) -> ratings" fromVersions = ["v4"]: reviews has no version v4; versions: v1, v2, v3',
    ],
    [
      'versions on the ingress gateway',
      edge({ from: 'ingress-gateway', fromVersions: ['v1'] }),
      'call-graph edge "ingress-gateway (v1) -> details" fromVersions = ["v1"]: only a service has versions',
    ],
    [
      'no methods',
      edge({ methods: [] }),
      'call-graph edge "productpage -> details" methods = []: must be one or more of GET, HEAD, POST',
    ],
    [
      'an unknown method',
      edge({ methods: ['FETCH'] }),
      'call-graph edge "productpage -> details" methods = ["FETCH"]: must be one or more of',
    ],
    [
      'a path without a slash',
      edge({ paths: ['details'] }),
      'call-graph edge "productpage -> details" path = "details": must be a path',
    ],
    [
      'a port out of range',
      edge({ port: 70000 }),
      'call-graph edge "productpage -> details" port = 70000: must be a whole number from 1 to 65535',
    ],
  ])('%s', (_name, bad, message) => {
    const run = () => policiesOf(withGraph([...BOOKINFO_CALL_GRAPH, bad]));
    expect(run).toThrow(message);
    expect(run).toThrow(/Invalid call graph:/);
  });

  test('edges are checked even with authorization off', () => {
    const run = () =>
      policiesOf((e) => ({ ...e, security: { authorization: 'off' }, callGraph: [edge({ to: 'payments' })] }));
    expect(run).toThrow(/"productpage -> payments" to = "payments"/);
  });

  test('an edge of the wrong shape is a configuration error naming the field', () => {
    expect(() => policiesOf(withGraph([{ ...edge({}), method: 'GET' } as CallEdge]))).toThrow(
      /callGraph\.0: unknown field\(s\) "method"/,
    );
  });
});

test('CallGraph marks edges from undeployed versions closed and fills in the port', () => {
  const catalogue = serviceCatalogue(
    defaultEnvironment((e) => ({ ...e, bookinfo: { versions: { reviews: ['v1'] } } })),
  );
  const graph = new CallGraph(BOOKINFO_CALL_GRAPH, catalogue);
  expect(graph.edges.map((e) => [CallGraph.describe(e), e.open, e.port])).toEqual([
    ['ingress-gateway -> productpage', true, 9080],
    ['productpage -> details', true, 9080],
    ['productpage -> reviews', true, 9080],
    ['reviews (v2, v3) -> ratings', false, 9080],
    ['ratings (v2) -> mongodb', false, 27017],
    ['ratings (v2-mysql) -> mysqldb', false, 3306],
  ]);
  expect(graph.callersOf('ratings')).toEqual([]);
});

describe.each([
  ['v2', 'mongodb', '27017'],
  ['v2-mysql', 'mysqldb', '3306'],
])('with ratings %s, its database', (version, database, port) => {
  const env = defaultEnvironment((e) => ({ ...e, bookinfo: { versions: { ratings: ['v1', version] } } }));
  const policies = objectsOf(env).filter((m) => m.kind === 'AuthorizationPolicy');
  const policy = policies.find((p) => p.metadata.name === `${database}-callers`) as Manifest & { spec: any };

  test('admits only the ratings version that reads it, over TCP (no HTTP fields, which never match TCP)', () => {
    expect(policy.spec).toEqual({
      selector: { matchLabels: { app: database } },
      action: 'ALLOW',
      rules: [
        {
          from: [{ source: { principals: ['cluster.local/ns/bookinfo/sa/bookinfo-ratings-v2'] } }],
          to: [{ operation: { ports: [port] } }],
        },
      ],
    });
  });

  test('the ratings policy still names reviews by its account', () => {
    const ratings = policies.find((p) => p.metadata.name === 'ratings-callers') as Manifest & { spec: any };
    expect(ratings.spec.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/bookinfo/sa/bookinfo-reviews']);
  });
});
