import { App, Chart } from 'cdk8s';
import { BookinfoGateway } from '../../cdk8s/networking/bookinfo-gateway';
import { MESH_PROFILES, type MeshMode } from '../../config';
import { defaultEnvironment } from '../helpers/environments';
import { findObject, objectsOf } from '../helpers/manifests';
import { UPSTREAM_GATEWAY } from './upstream-bookinfo';

describe('the default environment', () => {
  const manifests = objectsOf(defaultEnvironment());
  const gateway = findObject(manifests, 'Gateway', 'bookinfo-gateway');
  const virtualService = findObject(manifests, 'VirtualService', 'bookinfo');

  test("routes exactly the tutorial's paths to productpage:9080, as bookinfo-gateway.yaml does", () => {
    expect(virtualService.spec).toEqual(UPSTREAM_GATEWAY.virtualService.spec);
    expect(virtualService.metadata.namespace).toBe('bookinfo');
  });

  test("serves HTTP on any host on the ingress gateway Service's http2 port, like upstream's Gateway", () => {
    const { servers } = gateway.spec as { servers: unknown[] };
    expect(servers).toEqual(UPSTREAM_GATEWAY.gateway.spec.servers);
    expect(gateway.metadata.namespace).toBe('bookinfo');
  });

  test("selects the configured ingress gateway's pod labels (upstream's istio=ingressgateway among them)", () => {
    const { selector } = gateway.spec as { selector: Record<string, string> };
    expect(selector).toEqual({ app: 'istio-ingressgateway', istio: 'ingressgateway' });
    expect(selector).toMatchObject(UPSTREAM_GATEWAY.gateway.spec.selector);
  });
});

test.each<[MeshMode]>([['istio-helm'], ['gke-istio-addon'], ['cloud-service-mesh']])(
  'with %s the Gateway selects that control plane gateway and listens on its Service port, not its container port',
  (mode) => {
    const env = defaultEnvironment((e) => ({ ...e, mesh: { mode } }));
    const { selector, servers } = findObject(objectsOf(env), 'Gateway', 'bookinfo-gateway').spec as {
      selector: Record<string, string>;
      servers: { port: { number: number } }[];
    };
    const profile = MESH_PROFILES[mode].ingressGateway;
    expect(selector).toEqual(profile.labels);
    expect(servers.map((s) => s.port.number)).toEqual([profile.ports.find((p) => p.name === 'http2')!.port]);
  },
);

test('hosts from config are served by the Gateway and answered by the VirtualService', () => {
  const env = defaultEnvironment((e) => ({
    ...e,
    traffic: { gateway: { hosts: ['bookinfo.example.com', '*.shop.example.com'] } },
  }));
  const manifests = objectsOf(env);
  const servers = (findObject(manifests, 'Gateway', 'bookinfo-gateway').spec as { servers: { hosts: string[] }[] })
    .servers;
  expect(servers.map((s) => s.hosts)).toEqual([['bookinfo.example.com', '*.shop.example.com']]);
  expect((findObject(manifests, 'VirtualService', 'bookinfo').spec as { hosts: string[] }).hosts).toEqual([
    'bookinfo.example.com',
    '*.shop.example.com',
  ]);
});

test('an HTTPS credential adds an HTTPS server on the https Service port and redirects HTTP to it', () => {
  const env = defaultEnvironment((e) => ({
    ...e,
    traffic: { gateway: { hosts: ['bookinfo.example.com'], https: { credentialName: 'bookinfo-cert' } } },
  }));
  const { servers } = findObject(objectsOf(env), 'Gateway', 'bookinfo-gateway').spec as { servers: unknown[] };
  expect(servers).toEqual([
    {
      port: { number: 80, name: 'http', protocol: 'HTTP' },
      hosts: ['bookinfo.example.com'],
      tls: { httpsRedirect: true },
    },
    {
      port: { number: 443, name: 'https', protocol: 'HTTPS' },
      hosts: ['bookinfo.example.com'],
      tls: { mode: 'SIMPLE', credentialName: 'bookinfo-cert' },
    },
  ]);
});

describe('bad gateway config stops loading, naming the field and value', () => {
  test.each<[string, object, RegExp]>([
    [
      'a host with a space',
      { hosts: ['book info'] },
      /traffic\.gateway\.hosts\.0 = "book info": must be "\*", a DNS name/,
    ],
    ['no hosts', { hosts: [] }, /traffic\.gateway\.hosts = \[\]: needs at least one host/],
    [
      'a credential that is not a Secret name',
      { https: { credentialName: 'My Cert' } },
      /traffic\.gateway\.https\.credentialName = "My Cert"/,
    ],
  ])('%s', (_name, gateway, message) => {
    expect(() => defaultEnvironment((e) => ({ ...e, traffic: { gateway } }))).toThrow(message);
  });
});

test('an ingress gateway without the Service port a server needs is named in the error', () => {
  const chart = new Chart(new App(), 'test');
  const ingressGateway = {
    ...MESH_PROFILES['istio-helm'].ingressGateway,
    ports: [{ name: 'status-port', port: 15021, targetPort: 15021 }],
  };
  expect(() => new BookinfoGateway(chart, 'gateway', { namespace: 'bookinfo', ingressGateway })).toThrow(
    'ingress gateway "istio-ingressgateway" has no Service port named "http2" (ports: status-port)',
  );
});
