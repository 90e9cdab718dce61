import { SidecarInjector } from '../../inject/sidecar-injector';
import { containerNamed, deployment, envOf, fixture, inject, names, podOf, proxyOf } from './helpers';

const [hello] = fixture('hello.yaml');

describe('the full injected Deployment equals the expected output (istioctl kube-inject of Istio 1.30.3)', () => {
  // The expected files were written by this injector and checked field by field against upstream's golden files
  // (pkg/kube/inject/testdata/inject/*.injected); they pin the whole output, the tests below say why each part is so.
  test.each([
    ['native sidecar (the default)', {}, 'hello.native.injected.yaml'],
    ['classic sidecar', { nativeSidecars: false }, 'hello.classic.injected.yaml'],
    ['CNI', { values: { pilot: { cni: { enabled: true } } } }, 'hello.cni.injected.yaml'],
  ])('%s', (_name, props, expected) => {
    expect(inject(hello, props)).toEqual(fixture(expected)[0]);
  });
});

describe('a native sidecar (Istio 1.30 default)', () => {
  const pod = podOf(inject(hello));

  test('istio-init runs first, then istio-proxy as an init container that keeps running', () => {
    expect(names(pod.spec.initContainers)).toEqual(['istio-init', 'istio-proxy']);
    expect(containerNamed(pod.spec.initContainers, 'istio-proxy').restartPolicy).toBe('Always');
    expect(names(pod.spec.containers)).toEqual(['hello']);
  });

  test('the proxy drains on shutdown through the agent', () => {
    expect(proxyOf(pod.spec).lifecycle).toEqual({
      preStop: { exec: { command: ['pilot-agent', 'request', '--debug-port=15020', 'POST', 'drain'] } },
    });
  });

  test("the status annotation lists what was injected, in istioctl's exact JSON", () => {
    expect(pod.metadata.annotations?.['sidecar.istio.io/status']).toBe(
      '{"initContainers":["istio-init","istio-proxy"],"containers":null,"volumes":["workload-socket",' +
        '"credential-socket","workload-certs","istio-envoy","istio-data","istio-podinfo","istio-token",' +
        '"istiod-ca-cert","istio-ca-crl"],"imagePullSecrets":null,"revision":"default"}',
    );
  });

  test("app containers come before the sidecar in the app's own init containers order", () => {
    const withInit = deployment('web', {
      spec: { initContainers: [{ name: 'migrate', image: 'example.com/migrate:1' }] },
    });
    expect(names(podOf(inject(withInit)).spec.initContainers)).toEqual(['istio-init', 'istio-proxy', 'migrate']);
  });
});

describe('a classic sidecar', () => {
  const pod = podOf(inject(hello, { nativeSidecars: false }));

  test('istio-proxy is the last container, istio-init the last init container', () => {
    expect(names(pod.spec.containers)).toEqual(['hello', 'istio-proxy']);
    expect(names(pod.spec.initContainers)).toEqual(['istio-init']);
    expect(proxyOf(pod.spec).restartPolicy).toBeUndefined();
    expect(proxyOf(pod.spec).lifecycle).toBeUndefined();
    const withInit = deployment('web', {
      spec: { initContainers: [{ name: 'migrate', image: 'example.com/migrate:1' }] },
    });
    // iptables last, so the app's own init containers still reach the network
    expect(names(podOf(inject(withInit, { nativeSidecars: false })).spec.initContainers)).toEqual([
      'migrate',
      'istio-init',
    ]);
  });

  test('the status annotation names istio-proxy as a container', () => {
    expect(JSON.parse(pod.metadata.annotations?.['sidecar.istio.io/status'] ?? '')).toMatchObject({
      initContainers: ['istio-init'],
      containers: ['istio-proxy'],
    });
  });

  test('a pod can choose with sidecar.istio.io/nativeSidecar', () => {
    const optOut = deployment('web', { annotations: { 'sidecar.istio.io/nativeSidecar': 'false' } });
    expect(names(podOf(inject(optOut)).spec.containers)).toEqual(['web', 'istio-proxy']);
    const optIn = deployment('web', { annotations: { 'sidecar.istio.io/nativeSidecar': 'true' } });
    expect(names(podOf(inject(optIn, { nativeSidecars: false })).spec.initContainers)).toEqual([
      'istio-init',
      'istio-proxy',
    ]);
  });
});

describe('istio-init and istio-validation', () => {
  test('istio-init sets up iptables as root with NET_ADMIN and NET_RAW', () => {
    const init = containerNamed(podOf(inject(hello)).spec.initContainers, 'istio-init');
    expect(init.args).toEqual([
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
      '*',
      '-x',
      '',
      '-b',
      '*',
      '-d',
      '15090,15021,15020',
      '--log_output_level=default:info',
    ]);
    expect(init.securityContext).toMatchObject({
      capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] },
      runAsUser: 0,
      runAsNonRoot: false,
    });
  });

  test('in CNI mode istio-validation only checks the redirection, unprivileged, and the pod says how to redirect', () => {
    const pod = podOf(inject(hello, { values: { pilot: { cni: { enabled: true } } } }));
    const validation = containerNamed(pod.spec.initContainers, 'istio-validation');
    expect(validation.args?.slice(-2)).toEqual(['--run-validation', '--skip-rule-apply']);
    expect(validation.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsGroup: 1337,
      runAsUser: 1337,
      runAsNonRoot: true,
    });
    expect(pod.metadata.annotations).toMatchObject({
      'sidecar.istio.io/interceptionMode': 'REDIRECT',
      'traffic.sidecar.istio.io/includeOutboundIPRanges': '*',
      'traffic.sidecar.istio.io/includeInboundPorts': '*',
      'traffic.sidecar.istio.io/excludeInboundPorts': '15020',
    });
    expect(pod.metadata.annotations).not.toHaveProperty('traffic.sidecar.istio.io/excludeOutboundIPRanges');
  });
});

describe('istio-proxy', () => {
  const pod = podOf(inject(hello));
  const proxy = proxyOf(pod.spec);

  test('runs the agent as 1337, non-root, read-only, without capabilities', () => {
    expect(proxy.image).toBe('docker.io/istio/proxyv2:1.30.3');
    expect(proxy.args).toEqual([
      'proxy',
      'sidecar',
      '--domain',
      '$(POD_NAMESPACE).svc.cluster.local',
      '--proxyLogLevel=warning',
      '--proxyComponentLogLevel=misc:error',
      '--log_output_level=default:info',
    ]);
    expect(proxy.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 1337,
      runAsNonRoot: true,
      runAsUser: 1337,
    });
    expect(proxy.resources).toEqual({
      limits: { cpu: '2', memory: '1Gi' },
      requests: { cpu: '100m', memory: '128Mi' },
    });
  });

  test("env: every variable in the template's order", () => {
    expect(names(proxy.env)).toEqual([
      'PILOT_CERT_PROVIDER',
      'CA_ADDR',
      'POD_NAME',
      'POD_NAMESPACE',
      'INSTANCE_IP',
      'SERVICE_ACCOUNT',
      'HOST_IP',
      'ISTIO_CPU_LIMIT',
      'PROXY_CONFIG',
      'ISTIO_META_POD_PORTS',
      'ISTIO_META_APP_CONTAINERS',
      'GOMEMLIMIT',
      'GOMAXPROCS',
      'ISTIO_META_CLUSTER_ID',
      'ISTIO_META_NODE_NAME',
      'ISTIO_META_INTERCEPTION_MODE',
      'ISTIO_META_WORKLOAD_NAME',
      'ISTIO_META_OWNER',
      'ISTIO_META_MESH_ID',
      'TRUST_DOMAIN',
      'ISTIO_KUBE_APP_PROBERS',
    ]);
    expect(envOf(proxy, 'CA_ADDR')?.value).toBe('istiod.istio-system.svc:15012');
    expect(envOf(proxy, 'PROXY_CONFIG')?.value).toBe('{}\n');
    expect(envOf(proxy, 'ISTIO_META_APP_CONTAINERS')?.value).toBe('hello');
    expect(envOf(proxy, 'GOMEMLIMIT')?.valueFrom).toEqual({
      resourceFieldRef: { resource: 'limits.memory', divisor: '1' },
    });
  });

  test('ISTIO_META_POD_PORTS is laid out as the template writes it, ports as Go prints them', () => {
    expect(envOf(proxy, 'ISTIO_META_POD_PORTS')?.value).toBe(
      '[\n    {"name":"http","containerPort":8080}\n    ,{"containerPort":9090,"protocol":"TCP"}\n]',
    );
    const noPorts = deployment('web', { spec: { containers: [{ name: 'web', image: 'x/web:1' }] } });
    expect(envOf(proxyOf(podOf(inject(noPorts)).spec), 'ISTIO_META_POD_PORTS')?.value).toBe('[\n]');
  });

  test("volumes and mounts are the template's, in its order, before the app's own volumes", () => {
    expect(names(pod.spec.volumes)).toEqual([
      'workload-socket',
      'credential-socket',
      'workload-certs',
      'istio-envoy',
      'istio-data',
      'istio-podinfo',
      'istio-token',
      'istiod-ca-cert',
      'istio-ca-crl',
    ]);
    expect(pod.spec.volumes?.[0]).toEqual({ name: 'workload-socket' }); // the API server defaults it to emptyDir
    expect(names(proxy.volumeMounts as { name: string }[])).toEqual([
      'workload-socket',
      'credential-socket',
      'workload-certs',
      'istiod-ca-cert',
      'istio-ca-crl',
      'istio-data',
      'istio-envoy',
      'istio-token',
      'istio-podinfo',
    ]);
    const withVolume = deployment('web', { spec: { volumes: [{ name: 'cache', emptyDir: {} }] } });
    expect(names(podOf(inject(withVolume)).spec.volumes)).toEqual([...names(pod.spec.volumes), 'cache']);
  });

  test('startup and readiness probes on the agent, with the default thresholds (zero values left out, as Go does)', () => {
    expect(proxy.startupProbe).toEqual({
      httpGet: { path: '/healthz/ready', port: 15021 },
      periodSeconds: 1,
      timeoutSeconds: 3,
      failureThreshold: 600,
    });
    expect(proxy.readinessProbe).toEqual({
      httpGet: { path: '/healthz/ready', port: 15021 },
      periodSeconds: 15,
      timeoutSeconds: 3,
      failureThreshold: 4,
    });
  });
});

describe('pod metadata', () => {
  test('labels: tlsMode, canonical name and revision from app/version, then app.kubernetes.io, then the workload', () => {
    expect(podOf(inject(hello)).metadata.labels).toEqual({
      app: 'hello',
      version: 'v1',
      'security.istio.io/tlsMode': 'istio',
      'service.istio.io/canonical-name': 'hello',
      'service.istio.io/canonical-revision': 'v1',
    });
    const k8sLabels = deployment('web', {
      labels: { 'app.kubernetes.io/name': 'shop-web', 'app.kubernetes.io/version': '2.1' },
    });
    expect(podOf(inject(k8sLabels)).metadata.labels).toMatchObject({
      'service.istio.io/canonical-name': 'shop-web',
      'service.istio.io/canonical-revision': '2.1',
    });
    const bare = deployment('a'.repeat(62) + '-x');
    delete (bare.spec as { template: { metadata: { labels?: unknown } } }).template.metadata.labels;
    // no app label: the workload name, cut to 63 characters without a trailing dash
    expect(podOf(inject(bare)).metadata.labels).toMatchObject({
      'service.istio.io/canonical-name': 'a'.repeat(62),
      'service.istio.io/canonical-revision': 'latest',
    });
  });

  test('annotations: revision, default containers (unless set), and the agent as the metrics endpoint', () => {
    expect(podOf(inject(hello)).metadata.annotations).toMatchObject({
      'istio.io/rev': 'default',
      'kubectl.kubernetes.io/default-container': 'hello',
      'kubectl.kubernetes.io/default-logs-container': 'hello',
      'prometheus.io/path': '/stats/prometheus',
      'prometheus.io/port': '15020',
      'prometheus.io/scrape': 'true',
    });
    const chosen = deployment('web', { annotations: { 'kubectl.kubernetes.io/default-container': 'other' } });
    const annotations = podOf(inject(chosen)).metadata.annotations ?? {};
    expect(annotations['kubectl.kubernetes.io/default-container']).toBe('other');
    expect(annotations['kubectl.kubernetes.io/default-logs-container']).toBe('web');
  });
});

describe('settings', () => {
  test('a revision names its istiod and is recorded in the status and istio.io/rev', () => {
    const pod = podOf(inject(hello, { revision: 'canary' }));
    const proxy = proxyOf(pod.spec);
    expect(envOf(proxy, 'CA_ADDR')?.value).toBe('istiod-canary.istio-system.svc:15012');
    // the istiod chart's mesh config for a revision points the proxy at that revision's istiod
    expect(envOf(proxy, 'PROXY_CONFIG')?.value).toBe('{"discoveryAddress":"istiod-canary.istio-system.svc:15012"}\n');
    expect(pod.metadata.annotations?.['istio.io/rev']).toBe('canary');
    expect(JSON.parse(pod.metadata.annotations?.['sidecar.istio.io/status'] ?? '').revision).toBe('canary');
  });

  test('the proxy image (<hub>/proxyv2:<tag>-<variant>) is used for istio-proxy and the init container', () => {
    const values = { global: { hub: 'registry.example.com/istio', tag: '1.30.3', variant: 'distroless' } };
    const pod = podOf(inject(hello, { values }));
    for (const c of pod.spec.initContainers ?? [])
      expect(c.image).toBe('registry.example.com/istio/proxyv2:1.30.3-distroless');
  });

  test('global.proxy.image naming a repository is the image itself', () => {
    const image = 'mirror.example.com/istio/proxyv2:1.30.3';
    const pod = podOf(inject(hello, { values: { global: { proxy: { image }, proxy_init: { image } } } }));
    expect((pod.spec.initContainers ?? []).map((c) => c.image)).toEqual([image, image]);
  });

  test('an image with spaces is refused', () => {
    expect(() => new SidecarInjector({ values: { global: { hub: 'docker.io/istio proxy' } } })).toThrow(
      /must not contain spaces/,
    );
  });

  test('the input object is not changed', () => {
    const before = structuredClone(hello);
    inject(hello);
    expect(hello).toEqual(before);
  });
});

describe("a pod's own istio-proxy container customizes the injected one (as upstream merges it)", () => {
  const own = deployment('web', {
    spec: {
      containers: [
        { name: 'web', image: 'x/web:1' },
        {
          name: 'istio-proxy',
          image: 'auto',
          resources: { limits: { cpu: '3000m' } },
          securityContext: { runAsUser: 1234 },
        },
      ],
    },
  });

  test('native sidecar: it moves to the init containers, its fields win, `image: auto` keeps the injected image', () => {
    const pod = podOf(inject(own));
    expect(names(pod.spec.containers)).toEqual(['web']);
    const proxy = containerNamed(pod.spec.initContainers, 'istio-proxy');
    expect(proxy.image).toBe('docker.io/istio/proxyv2:1.30.3');
    expect(proxy.resources).toEqual({
      limits: { cpu: '3', memory: '1Gi' },
      requests: { cpu: '100m', memory: '128Mi' },
    });
    expect(proxy.securityContext).toMatchObject({ runAsUser: 1234, runAsNonRoot: true });
    // iptables leaves the proxy's own traffic alone by its user id
    const init = containerNamed(pod.spec.initContainers, 'istio-init');
    expect(init.args?.[init.args.indexOf('-u') + 1]).toBe('1234');
  });

  test('the override is recorded in proxy.istio.io/overrides, as Go writes the container', () => {
    expect(JSON.parse(podOf(inject(own)).metadata.annotations?.['proxy.istio.io/overrides'] ?? '')).toEqual({
      initContainers: [
        { name: 'istio-proxy', resources: { limits: { cpu: '3' } }, securityContext: { runAsUser: 1234 } },
      ],
    });
  });

  test('classic sidecar: merged in place among the containers, last', () => {
    const pod = podOf(inject(own, { nativeSidecars: false }));
    expect(names(pod.spec.containers)).toEqual(['web', 'istio-proxy']);
    expect(proxyOf(pod.spec).resources).toMatchObject({ limits: { cpu: '3' } });
  });
});

test('an OpenTelemetry provider with semantic conventions gives the proxy its resource attributes', () => {
  const meshConfig = {
    extensionProviders: [
      {
        name: 'otel',
        opentelemetry: { service: 'otel.svc', port: 4317, serviceAttributeEnrichment: 'OTEL_SEMANTIC_CONVENTIONS' },
      },
    ],
  };
  const proxy = proxyOf(podOf(inject(hello, { meshConfig })).spec);
  expect(envOf(proxy, 'OTEL_RESOURCE_ATTRIBUTES')?.value).toBe(
    'service.namespace=shop,service.version=1.0,service.instance.id=shop.$(POD_NAME).hello',
  );
  expect(envOf(proxyOf(podOf(inject(hello)).spec), 'OTEL_RESOURCE_ATTRIBUTES')).toBeUndefined();
});
