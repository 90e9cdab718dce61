import type { ChartManifests, Manifest } from '../../kube/object';
import { injectSidecars } from '../../inject/injection-pass';
import { injectionNamespaceLabels } from '../../inject/namespace-labels';
import { podSecurityViolations } from '../../pod-security/pod-security-standards';
import { toYaml } from '../../inject/manifest-stream';
import { sidecarInjection, type EnvironmentInput } from '../../config';
import { defaultEnvironment } from '../helpers/environments';
import { containerNamed, envOf, fixture, names, podOf, proxyOf } from './helpers';

const bookinfo = fixture('bookinfo.yaml') as Manifest[];
const DEPLOYMENTS = ['details-v1', 'ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3', 'productpage-v1'];

function synth(injection: EnvironmentInput['injection'], revision?: string, manifests = bookinfo): Manifest[] {
  const env = defaultEnvironment((e) => ({ ...e, injection, istio: { ...e.istio, revision } }));
  const charts: ChartManifests[] = [{ file: '0001-bookinfo.k8s.yaml', manifests }];
  return injectSidecars(sidecarInjection(env), charts)[0].manifests;
}
const deploymentsOf = (manifests: Manifest[]) => manifests.filter((m) => m.kind === 'Deployment');

describe.each([
  [
    'manual, native sidecars, istio-init',
    { mode: 'manual' as const, cni: false },
    ['istio-init', 'istio-proxy'],
    ['app'],
  ],
  [
    'manual, classic sidecars, istio-init',
    { mode: 'manual' as const, nativeSidecars: false, cni: false },
    ['istio-init'],
    ['app', 'istio-proxy'],
  ],
  [
    'manual, CNI (the default with istio-helm)',
    { mode: 'manual' as const },
    ['istio-validation', 'istio-proxy'],
    ['app'],
  ],
])('Bookinfo injected: %s', (_name, injection, initContainers, containers) => {
  const out = synth(injection);

  test('every one of the six Deployments gets a sidecar; Services and ServiceAccounts are untouched', () => {
    expect(deploymentsOf(out).map((d) => d.metadata.name)).toEqual(DEPLOYMENTS);
    for (const d of deploymentsOf(out)) {
      const pod = podOf(d);
      const app = pod.spec.containers.find((c) => c.name !== 'istio-proxy')!.name;
      expect(names(pod.spec.initContainers)).toEqual(initContainers);
      expect(names(pod.spec.containers)).toEqual(containers.map((c) => (c === 'app' ? app : c)));
    }
    const others = out.filter((m) => m.kind !== 'Deployment');
    expect(others).toEqual(bookinfo.filter((m) => m.kind !== 'Deployment'));
    expect(others.map((m) => m.kind)).toEqual([
      'Service',
      'ServiceAccount',
      'Service',
      'ServiceAccount',
      'Service',
      'ServiceAccount',
      'Service',
      'ServiceAccount',
    ]);
  });

  test('the app containers keep their hardened security context, env and volumes', () => {
    const reviews = podOf(out.find((m) => m.metadata.name === 'reviews-v2')!);
    const app = containerNamed(reviews.spec.containers, 'reviews');
    expect(app.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      runAsNonRoot: true,
      runAsUser: 1001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(app.env).toEqual([{ name: 'LOG_DIR', value: '/tmp/logs' }]);
    expect(names(reviews.spec.volumes).slice(-2)).toEqual(['wlp-output', 'tmp']);
    expect(reviews.spec.serviceAccountName).toBe('bookinfo-reviews');
  });

  test('canonical labels come from the app and version labels', () => {
    const reviews = podOf(out.find((m) => m.metadata.name === 'reviews-v3')!);
    expect(reviews.metadata.labels).toMatchObject({
      'service.istio.io/canonical-name': 'reviews',
      'service.istio.io/canonical-revision': 'v3',
    });
    expect(envOf(proxyOf(reviews.spec), 'ISTIO_META_OWNER')?.value).toBe(
      'kubernetes://apis/apps/v1/namespaces/bookinfo/deployments/reviews-v3',
    );
  });

  test("productpage: its metrics are scraped through the agent, which merges the app's", () => {
    const productpage = podOf(out.find((m) => m.metadata.name === 'productpage-v1')!);
    expect(productpage.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '15020',
      'prometheus.io/path': '/stats/prometheus',
    });
    const proxy = proxyOf(productpage.spec);
    expect(envOf(proxy, 'ISTIO_PROMETHEUS_ANNOTATIONS')?.value).toBe(
      '{"scrape":"true","path":"/metrics","port":"9080"}',
    );
    expect(envOf(proxy, 'ISTIO_KUBE_APP_PROBERS')?.value).toBe(
      '{"/app-health/productpage/livez":{"tcpSocket":{"port":9080}},' +
        '"/app-health/productpage/readyz":{"httpGet":{"path":"/health","port":9080}}}',
    );
    const names_ = (proxy.env ?? []).map((e) => e.name);
    expect(names_.slice(-2)).toEqual(['ISTIO_PROMETHEUS_ANNOTATIONS', 'ISTIO_KUBE_APP_PROBERS']);
  });
});

test('Bookinfo manual native: snapshot of the injected YAML (the assertions above say what must be true)', () => {
  expect(synth({ mode: 'manual', cni: false }).map(toYaml).join('---\n')).toMatchSnapshot();
});

describe('Bookinfo with automatic injection', () => {
  test("the objects are left for the cluster's webhook; the namespace asks for injection", () => {
    expect(synth({ mode: 'auto' })).toEqual(bookinfo);
    expect(injectionNamespaceLabels({ mode: 'auto', cni: false })).toMatchObject({ 'istio-injection': 'enabled' });
    expect(injectionNamespaceLabels({ mode: 'auto', cni: false, revision: 'canary' })).toMatchObject({
      'istio.io/rev': 'canary',
    });
    expect(injectionNamespaceLabels({ mode: 'auto', cni: false, revision: 'canary' })).not.toHaveProperty(
      'istio-injection',
    );
  });

  test('with CNI the pods the webhook will produce are checked against restricted', () => {
    expect(synth({ mode: 'auto', cni: true })).toEqual(bookinfo);
    expect(() => synth({ mode: 'auto', cni: true }, undefined, withoutPodSeccomp(bookinfo))).toThrow(
      /spec\.initContainers\[istio-proxy\]\.securityContext\.seccompProfile\.type: must be RuntimeDefault or Localhost/,
    );
  });
});

test('Bookinfo with injection off: unchanged, and restricted holds for the app pods alone', () => {
  expect(synth({ mode: 'off' })).toEqual(bookinfo);
  for (const d of deploymentsOf(bookinfo)) {
    const pod = podOf(d);
    expect(podSecurityViolations(pod, 'restricted')).toEqual([]);
  }
});

describe("the namespace's Pod Security level holds for the injected pods", () => {
  test('with istio-init, the pods only meet privileged: NET_ADMIN and NET_RAW break baseline', () => {
    const pod = podOf(deploymentsOf(synth({ mode: 'manual', cni: false }))[0]);
    expect(podSecurityViolations(pod, 'baseline').map((v) => v.message.split(';')[0])).toEqual([
      'must not add NET_ADMIN',
      'must not add NET_RAW',
    ]);
    expect(podSecurityViolations(pod, 'baseline').map((v) => v.field)).toEqual([
      'spec.initContainers[istio-init].securityContext.capabilities.add',
      'spec.initContainers[istio-init].securityContext.capabilities.add',
    ]);
    expect(injectionNamespaceLabels({ mode: 'manual', cni: false })).toMatchObject({
      'istio-injection': 'disabled',
      'pod-security.kubernetes.io/enforce': 'privileged',
    });
  });

  test('with CNI, every injected pod meets restricted', () => {
    for (const d of deploymentsOf(synth({ mode: 'manual', cni: true }))) {
      const pod = podOf(d);
      expect(podSecurityViolations(pod, 'restricted')).toEqual([]);
    }
    expect(injectionNamespaceLabels({ mode: 'manual', cni: true })['pod-security.kubernetes.io/enforce']).toBe(
      'restricted',
    );
  });

  test('restricted needs seccomp on the pod: the injected containers set none, so a container-only profile fails the synth', () => {
    expect(() => synth({ mode: 'manual', cni: true }, undefined, withoutPodSeccomp(bookinfo))).toThrow(
      /namespace "bookinfo" is labelled for the Pod Security level "restricted" \(injection manual, CNI\)[\s\S]*Deployment "bookinfo\/details-v1": spec\.initContainers\[istio-validation\]\.securityContext\.seccompProfile\.type: must be RuntimeDefault or Localhost/,
    );
  });
});

test('a revision reaches the sidecars of Bookinfo', () => {
  const pod = podOf(deploymentsOf(synth({ mode: 'manual' }, 'canary'))[0]);
  expect(envOf(proxyOf(pod.spec), 'CA_ADDR')?.value).toBe('istiod-canary.istio-system.svc:15012');
  expect(pod.metadata.annotations?.['istio.io/rev']).toBe('canary');
});

function withoutPodSeccomp(manifests: Manifest[]): Manifest[] {
  return manifests.map((m) => {
    if (m.kind !== 'Deployment') return m;
    const copy = structuredClone(m) as any;
    delete copy.spec.template.spec.securityContext;
    return copy;
  });
}
