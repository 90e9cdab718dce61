import { SidecarInjector } from '../../inject/sidecar-injector';
import type { Container } from '../../kube/object';
import { containerNamed, envOf, fixture, names, podOf, proxyOf } from './helpers';

const cases = fixture('annotations.yaml');
const injector = new SidecarInjector();

/** The injected pod of the fixture Deployment named after the case. */
function injected(name: string, injectorToUse = injector) {
  const obj = cases.find((c) => c.metadata?.name === name);
  if (!obj) throw new Error(`no case ${name}`);
  const result = injectorToUse.inject(obj);
  const pod = podOf(result.object);
  return {
    ...pod,
    notices: result.notices,
    proxy: [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === 'istio-proxy'),
  };
}
const init = (spec: { initContainers?: Container[] }) => containerNamed(spec.initContainers, 'istio-init');
const arg = (c: Container, flag: string) => (c.args as string[])[(c.args as string[]).indexOf(flag) + 1];

describe('sidecar.istio.io/inject', () => {
  test('"false" as an annotation opts the pod out; it is reported and left as it was', () => {
    const pod = injected('opt-out-annotation');
    expect(pod.proxy).toBeUndefined();
    expect(pod.metadata.annotations).toEqual({ 'sidecar.istio.io/inject': 'false' });
    expect(pod.notices).toEqual([
      { object: 'Deployment "shop/opt-out-annotation"', reason: 'it opts out (sidecar.istio.io/inject: "false")' },
    ]);
  });

  test('the label wins over the annotation', () => {
    expect(injected('opt-out-label').proxy).toBeUndefined();
  });

  test('"true" injects (kube-inject injects by default anyway)', () => {
    expect(injected('opt-in').proxy).toBeDefined();
  });
});

describe('proxy resources', () => {
  test('proxyCPU, proxyMemory, proxyCPULimit and proxyMemoryLimit replace the defaults, in canonical form', () => {
    const pod = injected('proxy-resources');
    const expected = { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } };
    expect(pod.proxy?.resources).toEqual(expected);
    expect(init(pod.spec).resources).toEqual(expected);
  });

  test('with only a limit set, there are no requests at all (the template drops the defaults)', () => {
    expect(injected('proxy-cpu-limit-only').proxy?.resources).toEqual({ limits: { cpu: '1500m' } });
  });
});

describe('sidecar.istio.io/proxyImage', () => {
  test('replaces the image of istio-proxy and istio-init', () => {
    const pod = injected('proxy-image');
    expect(pod.proxy?.image).toBe('registry.example.com/istio/proxyv2:1.30.3-debug');
    expect(init(pod.spec).image).toBe('registry.example.com/istio/proxyv2:1.30.3-debug');
  });

  test('is ignored unless it names a repository (the template requires a "/")', () => {
    expect(injected('proxy-image-without-repository').proxy?.image).toBe('docker.io/istio/proxyv2:1.30.3');
  });
});

test("log levels go to the proxy's and the init container's arguments", () => {
  const pod = injected('log-levels');
  expect(pod.proxy?.args).toEqual(
    expect.arrayContaining([
      '--proxyLogLevel=debug',
      '--proxyComponentLogLevel=rbac:debug,misc:error',
      '--log_output_level=default:debug',
    ]),
  );
  expect(init(pod.spec).args).toContain('--log_output_level=default:debug');
});

test('sidecar.istio.io/enableCoreDump has no effect in Istio 1.30.3 (its template no longer adds enable-core-dump)', () => {
  const pod = injected('core-dump');
  expect(names(pod.spec.initContainers)).toEqual(['istio-init', 'istio-proxy']);
  expect(pod.metadata.annotations?.['sidecar.istio.io/enableCoreDump']).toBe('true');
});

test('userVolume and userVolumeMount add volumes and proxy mounts, by name in sorted order', () => {
  const pod = injected('user-volumes');
  expect(pod.spec.volumes?.slice(-2)).toEqual([
    { name: 'cache', emptyDir: {} },
    { name: 'certs', secret: { secretName: 'my-certs' } },
  ]);
  expect((pod.proxy?.volumeMounts as object[]).slice(-2)).toEqual([
    { name: 'cache', mountPath: '/cache' },
    { name: 'certs', mountPath: '/etc/my-certs', readOnly: true },
  ]);
  expect(JSON.parse(pod.metadata.annotations?.['sidecar.istio.io/status'] ?? '').volumes.slice(-2)).toEqual([
    'cache',
    'certs',
  ]);
});

test('rewriteAppHTTPProbers: "false" leaves the app\'s probes alone', () => {
  const pod = injected('no-probe-rewrite');
  expect(containerNamed(pod.spec.containers, 'app').readinessProbe).toEqual({
    httpGet: { path: '/ready', port: 'http' },
  });
  expect(envOf(pod.proxy!, 'ISTIO_KUBE_APP_PROBERS')).toBeUndefined();
});

describe('status.sidecar.istio.io/port', () => {
  test("moves the agent's status port: excluded from capture, drain port and rewritten probes follow it", () => {
    const pod = injected('status-port');
    expect(arg(init(pod.spec), '-d')).toBe('15090,15021,15999');
    expect(pod.proxy?.lifecycle?.preStop).toEqual({
      exec: { command: ['pilot-agent', 'request', '--debug-port=15999', 'POST', 'drain'] },
    });
    expect(containerNamed(pod.spec.containers, 'app').readinessProbe?.httpGet?.port).toBe(15999);
  });

  test('"0" turns the agent\'s health checking off: no proxy probes, nothing extra excluded', () => {
    const pod = injected('no-status-port');
    expect(pod.proxy?.readinessProbe).toBeUndefined();
    expect(pod.proxy?.startupProbe).toBeUndefined();
    expect(arg(init(pod.spec), '-d')).toBe('15090,15021');
  });
});

test("readiness.status.sidecar.istio.io/* set the proxy's readiness probe", () => {
  expect(injected('readiness').proxy?.readinessProbe).toEqual({
    httpGet: { path: '/healthz/ready', port: 15021 },
    initialDelaySeconds: 5,
    periodSeconds: 7,
    timeoutSeconds: 3,
    failureThreshold: 11,
  });
});

test('traffic.sidecar.istio.io/* become istio-iptables arguments', () => {
  const args = init(injected('traffic').spec).args as string[];
  expect(args.slice(0, 20)).toEqual([
    'istio-iptables',
    '-p',
    '15001',
    '-z',
    '15006',
    '-u',
    '1337',
    '-m',
    'REDIRECT',
    '-i',
    '10.0.0.0/8,fd00::/8',
    '-x',
    '10.1.0.0/16',
    '-b',
    '8080,9090',
    '-d',
    '15090,15021,9100,15020',
    '-o',
    '3306,5432',
    '--log_output_level=default:info',
  ]);
});

test('traffic annotations are copied for the CNI plugin in CNI mode', () => {
  const pod = injected('traffic', new SidecarInjector({ values: { pilot: { cni: { enabled: true } } } }));
  expect(pod.metadata.annotations).toMatchObject({
    'traffic.sidecar.istio.io/includeOutboundIPRanges': '10.0.0.0/8,fd00::/8',
    'traffic.sidecar.istio.io/excludeOutboundIPRanges': '10.1.0.0/16',
    'traffic.sidecar.istio.io/includeInboundPorts': '8080,9090',
    'traffic.sidecar.istio.io/excludeInboundPorts': '9100,15020',
    'traffic.sidecar.istio.io/excludeOutboundPorts': '3306,5432',
  });
});

describe('proxy.istio.io/config', () => {
  test('holdApplicationUntilProxyStarts with a classic sidecar: the proxy goes first and the app waits for it', () => {
    const pod = injected('hold-application', new SidecarInjector({ nativeSidecars: false }));
    expect(names(pod.spec.containers)).toEqual(['istio-proxy', 'app']);
    expect(pod.proxy?.lifecycle).toEqual({ postStart: { exec: { command: ['pilot-agent', 'wait'] } } });
    expect(envOf(pod.proxy!, 'PROXY_CONFIG')?.value).toBe('{"holdApplicationUntilProxyStarts":true}\n');
  });

  test('holdApplicationUntilProxyStarts with a native sidecar: Kubernetes already starts it first, no hook needed', () => {
    const pod = injected('hold-application');
    expect(names(pod.spec.initContainers)).toEqual(['istio-init', 'istio-proxy']);
    expect(pod.proxy?.lifecycle?.preStop).toBeDefined();
    expect(pod.proxy?.lifecycle?.postStart).toBeUndefined();
  });

  test('other modelled fields: PROXY_CONFIG in declaration order, proxyMetadata as env of both containers', () => {
    const pod = injected('proxy-config');
    expect(envOf(pod.proxy!, 'PROXY_CONFIG')?.value).toBe(
      '{"concurrency":2,"proxyMetadata":{"ISTIO_META_DNS_CAPTURE":"true"},"terminationDrainDuration":"30s"}\n',
    );
    expect(envOf(pod.proxy!, 'ISTIO_META_DNS_CAPTURE')?.value).toBe('true');
    expect(init(pod.spec).env).toEqual([{ name: 'ISTIO_META_DNS_CAPTURE', value: 'true' }]);
  });
});

describe('prometheus merge', () => {
  test('prometheus.istio.io/merge-metrics: "false" keeps the app\'s own scrape annotations', () => {
    const pod = injected('no-metrics-merge');
    expect(pod.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' });
    expect(pod.metadata.annotations).not.toHaveProperty('prometheus.io/path');
    expect(envOf(pod.proxy!, 'ISTIO_PROMETHEUS_ANNOTATIONS')).toBeUndefined();
  });

  test('prometheus.io/scrape: "false" is respected: no merge', () => {
    const pod = injected('no-scrape');
    expect(pod.metadata.annotations?.['prometheus.io/scrape']).toBe('false');
    expect(pod.metadata.annotations).not.toHaveProperty('prometheus.io/port');
  });
});

describe('sidecar.istio.io/interceptionMode', () => {
  test('NONE with a classic sidecar: no init container at all, no iptables', () => {
    const pod = injected('interception-none');
    expect(pod.spec.initContainers).toBeUndefined();
    expect(JSON.parse(pod.metadata.annotations?.['sidecar.istio.io/status'] ?? '').initContainers).toBeNull();
    expect(envOf(pod.proxy!, 'ISTIO_META_INTERCEPTION_MODE')?.value).toBe('NONE');
  });

  test('TPROXY: the proxy needs NET_ADMIN and runs as root', () => {
    const pod = injected('tproxy');
    expect(arg(init(pod.spec), '-m')).toBe('TPROXY');
    expect(pod.proxy?.securityContext).toMatchObject({
      capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
      runAsNonRoot: false,
      runAsUser: 0,
      runAsGroup: 1337,
    });
  });
});

test("the pod's image pull secrets are kept; the status annotation lists only what injection added (none)", () => {
  const pod = injected('opt-in');
  expect(pod.spec.imagePullSecrets).toEqual([{ name: 'registry-credentials' }]);
  expect(JSON.parse(pod.metadata.annotations?.['sidecar.istio.io/status'] ?? '').imagePullSecrets).toBeNull();
});

test('a pod that already carries a sidecar is left as it is', () => {
  const once = injector.inject(cases.find((c) => c.metadata?.name === 'opt-in')!).object;
  const twice = injector.inject(once);
  expect(twice.object).toEqual(once);
  expect(twice.notices[0].reason).toMatch(/already has a sidecar/);
  expect(proxyOf(podOf(twice.object).spec)).toBeDefined();
});
