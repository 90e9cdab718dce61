/**
 * What Istio's upstream Bookinfo files route, written down as data for the tests to compare against
 * (samples/bookinfo/networking in Istio 1.30.3, and the circuit-breaking task's DestinationRule).
 * Only the routing is stated: object names and specs; apiVersion and namespaces are the project's concern.
 */

export interface UpstreamObject {
  readonly name: string;
  readonly spec: Record<string, unknown>;
}

const toV = (host: string, subset: string) => ({
  hosts: [host],
  http: [{ route: [{ destination: { host, subset } }] }],
});
const split = (host: string, weights: Record<string, number>) => ({
  hosts: [host],
  http: [{ route: Object.entries(weights).map(([subset, weight]) => ({ destination: { host, subset }, weight })) }],
});
const jason = [{ headers: { 'end-user': { exact: 'jason' } } }];

/** VirtualServices of each upstream file. */
export const UPSTREAM_VIRTUAL_SERVICES: Readonly<Record<string, readonly UpstreamObject[]>> = {
  'virtual-service-all-v1.yaml': [
    { name: 'productpage', spec: toV('productpage', 'v1') },
    { name: 'reviews', spec: toV('reviews', 'v1') },
    { name: 'ratings', spec: toV('ratings', 'v1') },
    { name: 'details', spec: toV('details', 'v1') },
  ],
  'virtual-service-reviews-v3.yaml': [{ name: 'reviews', spec: toV('reviews', 'v3') }],
  'virtual-service-reviews-50-v3.yaml': [{ name: 'reviews', spec: split('reviews', { v1: 50, v3: 50 }) }],
  'virtual-service-reviews-80-20.yaml': [{ name: 'reviews', spec: split('reviews', { v1: 80, v2: 20 }) }],
  'virtual-service-reviews-90-10.yaml': [{ name: 'reviews', spec: split('reviews', { v1: 90, v2: 10 }) }],
  'virtual-service-reviews-v2-v3.yaml': [{ name: 'reviews', spec: split('reviews', { v2: 50, v3: 50 }) }],
  'virtual-service-reviews-test-v2.yaml': [
    {
      name: 'reviews',
      spec: {
        hosts: ['reviews'],
        http: [
          { match: jason, route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
          { route: [{ destination: { host: 'reviews', subset: 'v1' } }] },
        ],
      },
    },
  ],
  'virtual-service-reviews-jason-v2-v3.yaml': [
    {
      name: 'reviews',
      spec: {
        hosts: ['reviews'],
        http: [
          { match: jason, route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
          { route: [{ destination: { host: 'reviews', subset: 'v3' } }] },
        ],
      },
    },
  ],
  'virtual-service-ratings-test-delay.yaml': [
    {
      name: 'ratings',
      spec: {
        hosts: ['ratings'],
        http: [
          {
            match: jason,
            fault: { delay: { percentage: { value: 100.0 }, fixedDelay: '7s' } },
            route: [{ destination: { host: 'ratings', subset: 'v1' } }],
          },
          { route: [{ destination: { host: 'ratings', subset: 'v1' } }] },
        ],
      },
    },
  ],
  'virtual-service-ratings-test-abort.yaml': [
    {
      name: 'ratings',
      spec: {
        hosts: ['ratings'],
        http: [
          {
            match: jason,
            fault: { abort: { percentage: { value: 100.0 }, httpStatus: 500 } },
            route: [{ destination: { host: 'ratings', subset: 'v1' } }],
          },
          { route: [{ destination: { host: 'ratings', subset: 'v1' } }] },
        ],
      },
    },
  ],
  'virtual-service-details-v2.yaml': [{ name: 'details', spec: toV('details', 'v2') }],
  'fault-injection-details-v1.yaml': [
    {
      name: 'details',
      spec: {
        hosts: ['details'],
        http: [
          {
            fault: { abort: { httpStatus: 555, percentage: { value: 100 } } },
            route: [{ destination: { host: 'details', subset: 'v1' } }],
          },
          { route: [{ destination: { host: 'details', subset: 'v1' } }] },
        ],
      },
    },
  ],
};

const subsets = (...versions: string[]) => versions.map((v) => ({ name: v, labels: { version: v } }));

/** destination-rule-all.yaml: a subset per version upstream ships (including ratings' MySQL variants). */
export const UPSTREAM_DESTINATION_RULES: readonly UpstreamObject[] = [
  { name: 'productpage', spec: { host: 'productpage', subsets: subsets('v1') } },
  { name: 'reviews', spec: { host: 'reviews', subsets: subsets('v1', 'v2', 'v3') } },
  { name: 'ratings', spec: { host: 'ratings', subsets: subsets('v1', 'v2', 'v2-mysql', 'v2-mysql-vm') } },
  { name: 'details', spec: { host: 'details', subsets: subsets('v1', 'v2') } },
];

/** destination-rule-all-mtls.yaml: the same with `tls.mode: ISTIO_MUTUAL` in every traffic policy. */
export const UPSTREAM_DESTINATION_RULES_MTLS: readonly UpstreamObject[] = UPSTREAM_DESTINATION_RULES.map(
  ({ name, spec }) => ({
    name,
    spec: { ...spec, trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } },
  }),
);

/** The circuit-breaking task's DestinationRule traffic policy (for httpbin there; for reviews here). */
export const CIRCUIT_BREAKING_TASK_POLICY = {
  connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } },
  outlierDetection: { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '3m', maxEjectionPercent: 100 },
};

/** bookinfo-gateway.yaml. */
export const UPSTREAM_GATEWAY = {
  gateway: {
    name: 'bookinfo-gateway',
    spec: {
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
    },
  },
  virtualService: {
    name: 'bookinfo',
    spec: {
      hosts: ['*'],
      gateways: ['bookinfo-gateway'],
      http: [
        {
          match: [
            { uri: { exact: '/productpage' } },
            { uri: { prefix: '/static' } },
            { uri: { exact: '/login' } },
            { uri: { exact: '/logout' } },
            { uri: { prefix: '/api/v1/products' } },
          ],
          route: [{ destination: { host: 'productpage', port: { number: 9080 } } }],
        },
      ],
    },
  },
};

/**
 * The VirtualServices in effect after applying upstream files in order (`kubectl apply` replaces an object of the
 * same name), as upstream's tasks do.
 */
export function appliedInOrder(...files: string[]): Map<string, Record<string, unknown>> {
  const result = new Map<string, Record<string, unknown>>();
  for (const file of files) {
    const objects = UPSTREAM_VIRTUAL_SERVICES[file];
    if (!objects) throw new Error(`no fixture for ${file}`);
    for (const { name, spec } of objects) result.set(name, spec);
  }
  return result;
}
