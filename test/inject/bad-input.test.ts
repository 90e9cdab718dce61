import { injectManifests } from '../../inject/manifest-stream';
import { ManifestReadError, parseManifests } from '../../kube/manifest-reader';

const injectYamlStream = (text: string, file: string, injector: SidecarInjector) =>
  injectManifests(parseManifests(text, file, { expandLists: false, requireKind: false }), injector);
import { InjectionError, SidecarInjector } from '../../inject/sidecar-injector';
import { deployment } from './helpers';

const injector = new SidecarInjector();
const injectWith = (annotations: Record<string, string>) => () => injector.inject(deployment('web', { annotations }));

describe('invalid traffic annotations stop the injection, naming the annotation and the value', () => {
  test.each([
    ['traffic.sidecar.istio.io/includeOutboundIPRanges', '10.0.0.0/33', /is not a CIDR range/],
    ['traffic.sidecar.istio.io/includeOutboundIPRanges', '10.0.0.0', /is not a CIDR range/],
    [
      'traffic.sidecar.istio.io/includeOutboundIPRanges',
      '10.0.0.0/8, 10.1.0.0/16',
      /" 10.1.0.0\/16" is not a CIDR range/,
    ],
    ['traffic.sidecar.istio.io/excludeOutboundIPRanges', '300.0.0.0/8', /is not a CIDR range/],
    ['traffic.sidecar.istio.io/excludeOutboundIPRanges', 'fe80::1%eth0/64', /is not a CIDR range/],
    ['traffic.sidecar.istio.io/includeInboundPorts', 'http', /"http" is not a port number from 1 to 65535/],
    ['traffic.sidecar.istio.io/excludeInboundPorts', '80,70000', /"70000" is not a port number/],
    ['traffic.sidecar.istio.io/excludeOutboundPorts', '0', /"0" is not a port number from 1 to 65535/],
    ['traffic.sidecar.istio.io/excludeOutboundPorts', '80,,90', /"" is not a port number/],
  ])('%s: %j', (name, value, reason) => {
    const run = injectWith({ [name]: value });
    expect(run).toThrow(InjectionError);
    expect(run).toThrow(`Deployment "shop/web": annotation ${name}: invalid value ${JSON.stringify(value)}`);
    expect(run).toThrow(reason);
  });

  test('valid values pass: "*", empty lists, IPv6 ranges, spaces around ports', () => {
    expect(
      injectWith({
        'traffic.sidecar.istio.io/includeOutboundIPRanges': '*',
        'traffic.sidecar.istio.io/excludeOutboundIPRanges': '',
        'traffic.sidecar.istio.io/includeInboundPorts': '*',
        'traffic.sidecar.istio.io/excludeInboundPorts': ' 80 , 443 ',
        'traffic.sidecar.istio.io/excludeOutboundPorts': '',
      }),
    ).not.toThrow();
    expect(
      injectWith({ 'traffic.sidecar.istio.io/includeOutboundIPRanges': '10.0.0.0/8,::ffff:10.0.0.0/104' }),
    ).not.toThrow();
  });

  test('every bad annotation of a pod is reported at once', () => {
    expect(
      injectWith({
        'traffic.sidecar.istio.io/includeInboundPorts': 'x',
        'traffic.sidecar.istio.io/excludeOutboundPorts': 'y',
      }),
    ).toThrow(/includeInboundPorts.*; annotation traffic.sidecar.istio.io\/excludeOutboundPorts/);
  });
});

describe('other annotations Istio validates', () => {
  test.each([
    ['sidecar.istio.io/proxyCPU', 'lots', /not a Kubernetes quantity/],
    ['sidecar.istio.io/proxyMemoryLimit', '512K', /unknown suffix "K"/],
    ['status.sidecar.istio.io/port', '-1', /not a port number from 0 to 65535/],
    ['readiness.status.sidecar.istio.io/periodSeconds', '1.5', /whole number/],
    ['sidecar.istio.io/interceptionMode', 'IPVS', /REDIRECT, TPROXY or NONE/],
    ['prometheus.istio.io/merge-metrics', 'yes', /true or false/],
    ['proxy.istio.io/config', 'holdApplicationUntilProxyStarts: "yes"', /must be true or false/],
    ['proxy.istio.io/config', 'concurrency: -1', /0 or more/],
    ['proxy.istio.io/config', 'terminationDrainDuration: 1m', /duration in seconds/],
    ['proxy.istio.io/config', 'holdApplication: true', /unknown ProxyConfig field "holdApplication"/],
    ['proxy.istio.io/config', '[1, 2]', /must be a ProxyConfig object/],
    ['traffic.sidecar.istio.io/excludeInterfaces', 'a-name-longer-than-15', /not a network interface name/],
  ])('%s: %j', (name, value, reason) => {
    expect(injectWith({ [name]: value })).toThrow(reason);
  });

  test('userVolume must be a JSON object of volumes', () => {
    expect(injectWith({ 'sidecar.istio.io/userVolume': '[{"name":"x"}]' })).toThrow(
      /annotation sidecar.istio.io\/userVolume: invalid value .*must be a JSON object of volumes by name/,
    );
  });
});

describe('workloads that cannot be injected', () => {
  test.each([
    [
      'Deployment',
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'ns' }, spec: {} },
      'Deployment "ns/d" has no pod template: spec.template is missing or not an object',
    ],
    [
      'ReplicationController',
      { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { replicas: 1 } },
      'ReplicationController "rc" has no pod template: spec.template is missing',
    ],
    [
      'CronJob',
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '* * * * *' } },
      'CronJob "c" has no pod template: spec.jobTemplate.spec.template is missing',
    ],
    ['Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }, 'Pod "p" has no pod template: spec is missing'],
    [
      'Pod without containers',
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} },
      'spec.containers (a list of named containers)',
    ],
  ])('%s', (_name, obj, message) => {
    expect(() => injector.inject(obj)).toThrow(message);
  });

  test("a number where Kubernetes wants a string annotation is refused, as Go's decoding refuses it", () => {
    const obj = deployment('web');
    (obj.spec as any).template.metadata.annotations = { 'prometheus.io/port': 9080 };
    expect(() => injector.inject(obj)).toThrow(
      'metadata.annotations.prometheus.io/port is 9080, not a string: quote it, e.g. "9080"',
    );
  });

  test('a template the control plane does not have is refused, listing those it has', () => {
    const obj = deployment('web');
    (obj.spec as any).template.metadata.annotations = { 'inject.istio.io/templates': 'sidecar,spire' };
    expect(() => injector.inject(obj)).toThrow(
      'requested template "spire" not found; have sidecar, gateway, grpc-agent, grpc-simple',
    );
  });
});

describe('a YAML stream', () => {
  test('YAML that does not parse is reported with the document and line', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Pod\nmetadata: [unclosed\n';
    expect(() => injectYamlStream(text, 'bad.yaml', injector)).toThrow(ManifestReadError);
    expect(() => injectYamlStream(text, 'bad.yaml', injector)).toThrow(/^bad\.yaml:9: document 2 is not valid YAML:/);
  });

  test('an injection error names the document and the line where it starts', () => {
    const text = `kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: ok\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec: {}\n`;
    expect(() => injectYamlStream(text, 'in.yaml', injector)).toThrow(
      'in.yaml: document 2 (line 6): Deployment "d" has no pod template',
    );
  });
});
