import { synthesizeKubernetes } from '../../cdk8s/kubernetes-app';
import { testEnvironments, defaultEnvironment } from '../helpers/environments';

describe('the default environment', () => {
  const charts = synthesizeKubernetes(defaultEnvironment());

  // The charts' contents have snapshots of their own; this one records what lands in which file, in which order.
  test('snapshot of the files and their objects', () => {
    expect(
      charts.map((c) => ({ file: c.file, objects: c.manifests.map((m) => `${m.kind} ${m.metadata.name}`) })),
    ).toMatchSnapshot();
  });

  test('namespace and security policies come before workloads, and routes after them', () => {
    expect(charts.map((c) => c.file.slice(5))).toEqual([
      'namespace.k8s.yaml',
      'security.k8s.yaml',
      'workloads.k8s.yaml',
      'networking.k8s.yaml',
    ]);
  });

  test('the namespace comes first, so that everything else can land in it', () => {
    expect(charts[0].file).toBe('0000-namespace.k8s.yaml');
    expect(charts[0].manifests).toEqual([
      expect.objectContaining({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: expect.objectContaining({ name: 'bookinfo' }),
      }),
    ]);
  });

  test('files are numbered in apply order', () => {
    expect(charts.map((c) => c.file)).toEqual(charts.map((c, i) => `${String(i).padStart(4, '0')}-${c.file.slice(5)}`));
  });
});

test('the namespace follows the config', () => {
  const charts = synthesizeKubernetes(defaultEnvironment((e) => ({ ...e, namespace: 'shop' })));
  expect(charts[0].manifests[0].metadata.name).toBe('shop');
});

test.each(testEnvironments().map((e) => [e.name, e]))('environment %s has no hashed names', (_name, env) => {
  for (const { manifests } of synthesizeKubernetes(env)) {
    for (const m of manifests) expect(m.metadata.name).not.toMatch(/-c8[0-9a-f]{6}$/);
  }
});
