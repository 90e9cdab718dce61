import type { EnvironmentInput } from '../../config';
import { loadEnvironments } from '../../config';
import { validateObject } from '../../validate/schema-validator';
import { testEnvironmentInput } from '../helpers/environments';
import { findObject, objectsOf } from '../helpers/manifests';
import { UPSTREAM_GATEWAY_API } from './upstream-gateway-api';

const gatewayApi = (change: (e: EnvironmentInput) => void = () => undefined) =>
  loadEnvironments(
    [
      testEnvironmentInput((e) => {
        e.traffic = { ingress: 'gateway-api' };
        change(e);
      }),
    ],
    {},
  )[0];
const upstream = (kind: string, name: string) =>
  UPSTREAM_GATEWAY_API['bookinfo-gateway.yaml'].find((o) => o.kind === kind && o.name === name)!;

describe('traffic.ingress gateway-api', () => {
  const env = gatewayApi();
  const manifests = objectsOf(env);

  test("a Gateway of class istio with the tutorial's listener, and an HTTPRoute of its five paths, as upstream's", () => {
    const gateway = findObject(manifests, 'Gateway', 'bookinfo-gateway');
    expect(gateway.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(gateway.spec).toEqual(upstream('Gateway', 'bookinfo-gateway').spec);
    const route = findObject(manifests, 'HTTPRoute', 'bookinfo');
    expect(route.spec).toEqual(upstream('HTTPRoute', 'bookinfo').spec);
    expect([gateway.metadata.namespace, route.metadata.namespace]).toEqual(['bookinfo', 'bookinfo']);
  });

  test("no Istio Gateway or the tutorial's VirtualService", () => {
    expect(manifests.filter((m) => m.apiVersion.startsWith('networking.istio.io') && m.kind === 'Gateway')).toEqual([]);
    expect(manifests.filter((m) => m.kind === 'VirtualService' && m.metadata.name === 'bookinfo')).toEqual([]);
  });

  test('the ingress gateway is the one Istio deploys for the Gateway: <gateway>-istio in its namespace', () => {
    expect(env.ingressGateway).toMatchObject({
      name: 'bookinfo-gateway-istio',
      namespace: 'bookinfo',
      serviceAccount: 'bookinfo-gateway-istio',
      labels: { 'gateway.networking.k8s.io/gateway-name': 'bookinfo-gateway' },
    });
  });

  test("productpage admits the identity of Istio's gateway, and the gateway admits anyone on its listener", () => {
    const callers = findObject(manifests, 'AuthorizationPolicy', 'productpage-callers');
    expect(callers.spec.rules[0].from).toEqual([
      { source: { principals: ['cluster.local/ns/bookinfo/sa/bookinfo-gateway-istio'] } },
    ]);
    const open = findObject(manifests, 'AuthorizationPolicy', 'bookinfo-gateway-clients');
    expect(open.spec).toEqual({
      action: 'ALLOW',
      // by targetRef: a selector of the gateway's pods would have no effect (IST0166)
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'bookinfo-gateway' }],
      rules: [{ to: [{ operation: { ports: ['80'] } }] }],
    });
  });

  test('every object passes schema validation, the Gateway API kinds included', () => {
    for (const m of manifests.filter((o) => o.apiVersion.startsWith('gateway.networking.k8s.io'))) {
      expect(validateObject(m)).toEqual({ known: true, violations: [] });
    }
  });

  test('the reserved address, hosts and HTTPS: an address, hostnames, a TLS listener and a redirect from HTTP', () => {
    const objects = objectsOf(
      gatewayApi((e) => {
        e.traffic = {
          ingress: 'gateway-api',
          gateway: {
            hosts: ['bookinfo.example.com'],
            address: '203.0.113.10',
            https: { credentialName: 'bookinfo-tls' },
          },
        };
      }),
    );
    const gateway = findObject(objects, 'Gateway', 'bookinfo-gateway');
    expect(gateway.spec.addresses).toEqual([{ type: 'IPAddress', value: '203.0.113.10' }]);
    expect(gateway.spec.listeners.map((l: { name: string; port: number }) => [l.name, l.port])).toEqual([
      ['http', 80],
      ['https', 443],
    ]);
    expect(gateway.spec.listeners[1].tls).toEqual({
      mode: 'Terminate',
      certificateRefs: [{ kind: 'Secret', name: 'bookinfo-tls' }],
    });
    const route = findObject(objects, 'HTTPRoute', 'bookinfo');
    expect(route.spec.parentRefs).toEqual([{ name: 'bookinfo-gateway', sectionName: 'https' }]);
    expect(route.spec.hostnames).toEqual(['bookinfo.example.com']);
    const redirect = findObject(objects, 'HTTPRoute', 'bookinfo-https-redirect');
    expect(redirect.spec.parentRefs).toEqual([{ name: 'bookinfo-gateway', sectionName: 'http' }]);
    expect(redirect.spec.rules).toEqual([
      { filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] },
    ]);
    expect(findObject(objects, 'AuthorizationPolicy', 'bookinfo-gateway-clients').spec.rules).toEqual([
      { to: [{ operation: { ports: ['80', '443'] } }] },
    ]);
  });
});

describe('traffic.ingress gateway-api: bad input is an error naming it', () => {
  const load = (change: (e: EnvironmentInput) => void) => () => loadEnvironments([testEnvironmentInput(change)], {});

  test.each([
    [
      'the GKE add-on',
      (e: EnvironmentInput) => {
        e.mesh = { mode: 'gke-istio-addon' };
        e.traffic = { ingress: 'gateway-api' };
      },
      /traffic\.ingress.*needs mesh\.mode istio-helm.*Istio 1\.6, which knows no Gateway API/s,
    ],
    [
      'Cloud Service Mesh',
      (e: EnvironmentInput) => {
        e.mesh = { mode: 'cloud-service-mesh' };
        e.traffic = { ingress: 'gateway-api' };
      },
      /traffic\.ingress.*needs mesh\.mode istio-helm/s,
    ],
    [
      'a gateway namespace',
      (e: EnvironmentInput) => {
        e.mesh = { mode: 'istio-helm', gatewayNamespace: 'edge' };
        e.traffic = { ingress: 'gateway-api' };
      },
      /mesh\.gatewayNamespace.*must be left out with traffic\.ingress gateway-api/s,
    ],
    [
      'an address with the istio ingress',
      (e: EnvironmentInput) => {
        e.traffic = { gateway: { address: '203.0.113.10' } };
      },
      /traffic\.gateway\.address.*for traffic\.ingress gateway-api only/s,
    ],
    [
      'an address that is not one',
      (e: EnvironmentInput) => {
        e.traffic = { ingress: 'gateway-api', gateway: { address: '203.0.113' } };
      },
      /traffic\.gateway\.address.*must be an IPv4 address/s,
    ],
    [
      'an unknown ingress',
      (e: EnvironmentInput) => {
        e.traffic = { ingress: 'gateway' as 'istio' };
      },
      /traffic\.ingress.*must be one of istio, gateway-api/s,
    ],
  ])('%s', (_what, change, message) => {
    expect(load(change)).toThrow(message);
  });
});
