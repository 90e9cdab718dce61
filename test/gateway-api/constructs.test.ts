import { App, Chart } from 'cdk8s';
import { KubernetesGateway, type KubernetesGatewayProps } from '../../cdk8s/networking/kubernetes-gateway';
import { KubernetesHttpRoute, type KubernetesHttpRouteProps } from '../../cdk8s/networking/kubernetes-http-route';

const chart = () => new Chart(new App(), 'chart', { namespace: 'shop' });
const gateway = (props: KubernetesGatewayProps) => Chart.of(new KubernetesGateway(chart(), 'gw', props)).toJson()[0];
const route = (props: KubernetesHttpRouteProps) => Chart.of(new KubernetesHttpRoute(chart(), 'r', props)).toJson()[0];

test('a waypoint: class istio-waypoint, an HBONE listener, labels, the chart namespace', () => {
  expect(
    gateway({
      name: 'waypoint',
      gatewayClassName: 'istio-waypoint',
      labels: { 'istio.io/waypoint-for': 'service' },
      listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
    }),
  ).toEqual({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'waypoint', namespace: 'shop', labels: { 'istio.io/waypoint-for': 'service' } },
    spec: {
      gatewayClassName: 'istio-waypoint',
      listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE', allowedRoutes: { namespaces: { from: 'Same' } } }],
    },
  });
});

test('a bad Gateway is one error naming every bad value', () => {
  expect(() =>
    gateway({
      name: 'Edge',
      addresses: ['10.0.0'],
      listeners: [
        { name: 'http', port: 0, protocol: 'HTTP', certificateSecret: 'tls' },
        { name: 'http', port: 443, protocol: 'HTTPS' },
      ],
    }),
  ).toThrow(
    [
      'Invalid Gateway "Edge":',
      '  - Gateway "Edge" name = "Edge": must be a DNS label',
      '  - Gateway "Edge": names listener "http" twice; listener names must be unique',
      '  - Gateway "Edge" listener "http" port = 0: must be a whole number from 1 to 65535',
      '  - Gateway "Edge" listener "http": a certificate needs protocol HTTPS or TLS, not HTTP',
      '  - Gateway "Edge" listener "http": protocol HTTPS terminates TLS; give the certificate\'s Secret',
      '  - Gateway "Edge" address = "10.0.0": must be an IPv4 address',
    ].join('\n'),
  );
});

test('a bad HTTPRoute is one error naming every bad value', () => {
  expect(() =>
    route({
      name: 'web',
      parents: [],
      hostnames: ['Web'],
      rules: [
        { backends: [{ service: 'web', port: 8080, weight: -1 }], redirect: { scheme: 'https' } },
        { matches: [{ path: { type: 'Exact', value: 'web' } }], timeout: '1.5s' },
      ],
    }),
  ).toThrow(
    [
      'Invalid HTTPRoute "web":',
      '  - HTTPRoute "web": has no parents; attach it to a Gateway or a Service',
      '  - HTTPRoute "web" hostname = "Web": must be a DNS name, or one after "*."',
      '  - HTTPRoute "web" rule #1: redirects and routes; give one or the other',
      '  - HTTPRoute "web" rule #1 weight of web = -1: must be a whole number from 0 to 1000000',
      '  - HTTPRoute "web" rule #2: routes nowhere; give at least one backend',
      '  - HTTPRoute "web" rule #2 path = "web": must start with "/"',
      '  - HTTPRoute "web" rule #2 timeout = "1.5s": must be a Gateway API duration such as 10s, 500ms or 1m30s',
    ].join('\n'),
  );
});

test('a mesh route: a Service parent (core group), weighted backends, a mirror and a timeout', () => {
  expect(
    route({
      name: 'web',
      parents: [{ kind: 'Service', name: 'web', port: 8080 }],
      rules: [
        {
          backends: [
            { service: 'web-v1', port: 8080, weight: 9 },
            { service: 'web-v2', port: 8080, weight: 1 },
          ],
          mirror: { service: 'web-v3', port: 8080, percent: 5 },
          timeout: '3s',
        },
      ],
    }).spec,
  ).toEqual({
    parentRefs: [{ group: '', kind: 'Service', name: 'web', port: 8080 }],
    rules: [
      {
        backendRefs: [
          { name: 'web-v1', port: 8080, weight: 9 },
          { name: 'web-v2', port: 8080, weight: 1 },
        ],
        filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'web-v3', port: 8080 }, percent: 5 } }],
        timeouts: { request: '3s' },
      },
    ],
  });
});
