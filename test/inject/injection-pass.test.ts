import { synthesizeKubernetes } from '../../cdk8s/kubernetes-app';
import { sidecarInjectorFor } from '../../inject/injection-pass';
import { sidecarInjection } from '../../config';
import { testEnvironments, defaultEnvironment } from '../helpers/environments';

const namespaceLabels = (change: Parameters<typeof defaultEnvironment>[0]) =>
  synthesizeKubernetes(defaultEnvironment(change))[0].manifests[0].metadata.labels;

describe('the namespace is labelled for the configured injection', () => {
  test('default environment (istio-helm): manual injection with CNI, so Pod Security restricted', () => {
    expect(namespaceLabels((e) => e)).toEqual({
      'app.kubernetes.io/part-of': 'hello-istio',
      'istio-injection': 'disabled',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'latest',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'latest',
    });
  });

  test('without CNI, istio-init needs NET_ADMIN and NET_RAW: Pod Security privileged', () => {
    expect(namespaceLabels((e) => ({ ...e, injection: { cni: false } }))).toEqual({
      'app.kubernetes.io/part-of': 'hello-istio',
      'istio-injection': 'disabled',
      'pod-security.kubernetes.io/enforce': 'privileged',
      'pod-security.kubernetes.io/enforce-version': 'latest',
      'pod-security.kubernetes.io/audit': 'privileged',
      'pod-security.kubernetes.io/audit-version': 'latest',
      'pod-security.kubernetes.io/warn': 'privileged',
      'pod-security.kubernetes.io/warn-version': 'latest',
    });
  });

  test('CNI: restricted', () => {
    expect(namespaceLabels((e) => ({ ...e, injection: { cni: true } }))).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });

  test('the GKE add-on and Cloud Service Mesh default to automatic injection', () => {
    expect(namespaceLabels((e) => ({ ...e, mesh: { mode: 'gke-istio-addon' } }))).toMatchObject({
      'istio-injection': 'enabled',
    });
    // Cloud Service Mesh serves a managed revision per release channel: namespaces opt in with its label.
    expect(namespaceLabels((e) => ({ ...e, mesh: { mode: 'cloud-service-mesh' } }))).toMatchObject({
      'istio.io/rev': 'asm-managed',
    });
  });

  test('automatic injection with a revision uses istio.io/rev instead', () => {
    const labels = namespaceLabels((e) => ({
      ...e,
      injection: { mode: 'auto' },
      istio: { ...e.istio, revision: 'asm-1-30' },
    }));
    expect(labels).toMatchObject({ 'istio.io/rev': 'asm-1-30' });
    expect(labels).not.toHaveProperty('istio-injection');
  });

  test('injection off: no sidecars wanted, restricted', () => {
    expect(namespaceLabels((e) => ({ ...e, injection: { mode: 'off' } }))).toMatchObject({
      'istio-injection': 'disabled',
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });
});

test('every configured environment synthesizes through the pass', () => {
  for (const env of testEnvironments()) expect(() => synthesizeKubernetes(env)).not.toThrow();
});

test('the injector is configured from the environment', () => {
  const env = defaultEnvironment((e) => ({
    ...e,
    injection: { nativeSidecars: false, proxyImage: 'mirror.example.com/proxyv2:1.30.3' },
  }));
  const out = sidecarInjectorFor(sidecarInjection(env)).inject({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'c', image: 'x/c:1' }] },
  }).object as { spec: { containers: { name: string; image: string }[] } };
  expect(out.spec.containers.map((c) => [c.name, c.image])).toEqual([
    ['c', 'x/c:1'],
    ['istio-proxy', 'mirror.example.com/proxyv2:1.30.3'],
  ]);
});
