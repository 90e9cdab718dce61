/**
 * What Istio's upstream samples/bookinfo/gateway-api files (Istio 1.30.3) route, written down as data for the tests to
 * compare against, as upstream-bookinfo.ts does for samples/bookinfo/networking: object names and specs only.
 * upstream-files.test.ts checks this data against the files themselves where the Istio sources are at hand.
 */

export interface UpstreamObject {
  readonly kind: 'Gateway' | 'HTTPRoute';
  readonly name: string;
  readonly spec: Record<string, unknown>;
}

const meshParent = (service: string) => [{ group: '', kind: 'Service', name: service, port: 9080 }];
const toVersions = (service: string, weights: Readonly<Record<string, number | undefined>>): UpstreamObject => ({
  kind: 'HTTPRoute',
  name: service,
  spec: {
    parentRefs: meshParent(service),
    rules: [
      {
        backendRefs: Object.entries(weights).map(([version, weight]) => ({
          name: `${service}-${version}`,
          port: 9080,
          ...(weight === undefined ? {} : { weight }),
        })),
      },
    ],
  },
});

/** The objects of each upstream file. */
export const UPSTREAM_GATEWAY_API: Readonly<Record<string, readonly UpstreamObject[]>> = {
  'bookinfo-gateway.yaml': [
    {
      kind: 'Gateway',
      name: 'bookinfo-gateway',
      spec: {
        gatewayClassName: 'istio',
        listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }],
      },
    },
    {
      kind: 'HTTPRoute',
      name: 'bookinfo',
      spec: {
        parentRefs: [{ name: 'bookinfo-gateway' }],
        rules: [
          {
            matches: [
              { path: { type: 'Exact', value: '/productpage' } },
              { path: { type: 'PathPrefix', value: '/static' } },
              { path: { type: 'Exact', value: '/login' } },
              { path: { type: 'Exact', value: '/logout' } },
              { path: { type: 'PathPrefix', value: '/api/v1/products' } },
            ],
            backendRefs: [{ name: 'productpage', port: 9080 }],
          },
        ],
      },
    },
  ],
  'route-all-v1.yaml': [
    toVersions('reviews', { v1: undefined }),
    toVersions('productpage', { v1: undefined }),
    toVersions('ratings', { v1: undefined }),
    toVersions('details', { v1: undefined }),
  ],
  'route-reviews-v1.yaml': [toVersions('reviews', { v1: undefined })],
  'route-reviews-v3.yaml': [toVersions('reviews', { v3: undefined })],
  'route-reviews-50-v3.yaml': [toVersions('reviews', { v1: 50, v3: 50 })],
  'route-reviews-90-10.yaml': [toVersions('reviews', { v1: 90, v2: 10 })],
};

/** The per-version Services upstream's routes send to (samples/bookinfo/platform/kube/bookinfo-versions.yaml). */
export const UPSTREAM_VERSION_SERVICES: readonly { name: string; selector: Record<string, string> }[] = [
  ['reviews', 'v1'],
  ['reviews', 'v2'],
  ['reviews', 'v3'],
  ['productpage', 'v1'],
  ['ratings', 'v1'],
  ['details', 'v1'],
].map(([app, version]) => ({ name: `${app}-${version}`, selector: { app, version } }));

/** The HTTPRoutes in effect after applying upstream files in order (an object of the same name is replaced). */
export function appliedInOrder(...files: string[]): Map<string, Record<string, unknown>> {
  const result = new Map<string, Record<string, unknown>>();
  for (const file of files) {
    const objects = UPSTREAM_GATEWAY_API[file];
    if (!objects) throw new Error(`no fixture for ${file}`);
    for (const { kind, name, spec } of objects) if (kind === 'HTTPRoute') result.set(name, spec);
  }
  return result;
}
