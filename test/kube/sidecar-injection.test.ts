import { ObjectIndex } from '../../kube/object-index';
import type { Manifest } from '../../kube/object';
import { webhookInjects } from '../../kube/sidecar-injection';
import { meshGraph } from '../../review/mesh-graph';
import { Mesh } from '../../analyze/mesh';

// "Does this pod get a sidecar" is decided once, as istiod's webhook selectors and injectRequired decide it.

const pod = (
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
  extra: { namespace?: string; hostNetwork?: boolean } = {},
) => ({ namespace: extra.namespace ?? 'apps', labels, annotations, hostNetwork: extra.hostNetwork });

test.each([
  ['namespace enabled', {}, {}, { 'istio-injection': 'enabled' }, true],
  [
    'namespace enabled, pod label false',
    { 'sidecar.istio.io/inject': 'false' },
    {},
    { 'istio-injection': 'enabled' },
    false,
  ],
  [
    'namespace enabled, pod annotation false',
    {},
    { 'sidecar.istio.io/inject': 'false' },
    { 'istio-injection': 'enabled' },
    false,
  ],
  [
    'namespace disabled, pod label true: no webhook selects it',
    { 'sidecar.istio.io/inject': 'true' },
    {},
    { 'istio-injection': 'disabled' },
    false,
  ],
  ['namespace unlabelled, pod label true', { 'sidecar.istio.io/inject': 'true' }, {}, {}, true],
  [
    'namespace unlabelled, pod annotation true (the webhook never sees annotations)',
    {},
    { 'sidecar.istio.io/inject': 'true' },
    {},
    false,
  ],
  ['namespace revision', {}, {}, { 'istio.io/rev': 'canary' }, true],
  ['namespace unlabelled, pod revision', { 'istio.io/rev': 'canary' }, {}, {}, true],
  ['namespace unlabelled', {}, {}, {}, false],
])('%s', (_name, labels, annotations, ns, expected) => {
  expect(webhookInjects(pod(labels, annotations), ns)).toBe(expected);
});

test("never with host networking or in a system namespace; a revision must be the control plane's", () => {
  expect(webhookInjects(pod({}, {}, { hostNetwork: true }), { 'istio-injection': 'enabled' })).toBe(false);
  expect(webhookInjects(pod({ 'sidecar.istio.io/inject': 'true' }, {}, { namespace: 'kube-system' }), {})).toBe(false);
  expect(webhookInjects(pod(), { 'istio.io/rev': 'canary' }, { revision: 'stable' })).toBe(false);
  expect(webhookInjects(pod(), {}, { enableNamespacesByDefault: true })).toBe(true);
});

test('the analyzer and the diagram agree on a pod opted in inside a namespace opted out', () => {
  const manifests: Manifest[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', labels: { 'istio-injection': 'disabled' } } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'apps' },
      spec: {
        template: {
          metadata: { labels: { app: 'web', 'sidecar.istio.io/inject': 'true' } },
          spec: { containers: [{ name: 'web', image: 'x' }] },
        },
      },
    },
  ];
  expect(new ObjectIndex(manifests, { injection: 'auto' }).pods.map((p) => p.inMesh)).toEqual([false]);
  expect(new Mesh(manifests, { injection: 'auto' }).workloads.map((w) => w.inMesh)).toEqual([false]);
  const node = meshGraph(manifests)
    .groups.flatMap((g) => g.nodes)
    .find((n) => n.key === 'workload apps/web');
  expect(node?.lines.join(' ')).toContain('no sidecar');
});

test('the index: objects by kind, namespace and name; generateName counts as a name', () => {
  const index = new ObjectIndex(
    [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { generateName: 'migrate-', namespace: 'ops' },
        spec: { template: { spec: { containers: [] } } },
      },
    ],
    { defaultNamespace: 'apps' },
  );
  expect(index.get('ConfigMap', 'apps', 'a')?.ref).toEqual({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: 'a',
    namespace: 'apps',
  });
  expect(index.ofKind('Job').map((o) => o.ref.name)).toEqual(['migrate-']);
  expect(index.pods.map((p) => `${p.kind} ${p.namespace}/${p.name}`)).toEqual(['Job ops/migrate-']);
});
