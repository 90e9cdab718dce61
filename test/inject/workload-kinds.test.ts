import { SidecarInjector } from '../../inject/sidecar-injector';
import type { KubeObject } from '../../kube/object';
import { envOf, fixture, inject, names, podOf, proxyOf } from './helpers';

const objects = fixture('kinds.yaml');
const byName = (name: string) => {
  const found = objects.find((o) => o.metadata?.name === name);
  if (!found) throw new Error(name);
  return found;
};

describe.each([
  ['Pod', 'hello-pod', 'kubernetes://apis/v1/namespaces/shop/pods/hello-pod', 'hello', {}],
  ['Deployment', 'hello-deploy', 'kubernetes://apis/apps/v1/namespaces/shop/deployments/hello-deploy', 'hello', {}],
  [
    'StatefulSet',
    'hello-sts',
    'kubernetes://apis/apps/v1/namespaces/shop/statefulsets/hello-sts',
    'hello',
    { availableReplicas: 0, replicas: 0 },
  ],
  [
    'DaemonSet',
    'hello-ds',
    'kubernetes://apis/apps/v1/namespaces/shop/daemonsets/hello-ds',
    'hello',
    { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 },
  ],
  [
    'ReplicaSet',
    'hello-rs',
    'kubernetes://apis/apps/v1/namespaces/shop/replicasets/hello-rs',
    'hello',
    { replicas: 0 },
  ],
  [
    'ReplicationController',
    'hello-rc',
    'kubernetes://apis/v1/namespaces/shop/replicationcontrollers/hello-rc',
    'hello',
    { replicas: 0 },
  ],
  ['Job', 'hello-job', 'kubernetes://apis/batch/v1/namespaces/shop/jobs/hello-job', 'hello-job', {}],
  ['CronJob', 'hello-cron', 'kubernetes://apis/batch/v1/namespaces/shop/cronjobs/hello-cron', 'hello-cron', {}],
])('%s', (kind, name, owner, canonicalName, status) => {
  const injected = inject(byName(name));
  const pod = podOf(injected);
  const proxy = proxyOf(pod.spec);

  test('gets a sidecar', () => {
    expect(injected.kind).toBe(kind);
    expect(names(pod.spec.initContainers)).toEqual(['istio-init', 'istio-proxy']);
    expect(pod.metadata.annotations?.['sidecar.istio.io/status']).toBeDefined();
  });

  test('the proxy reports its owner and workload name', () => {
    expect(envOf(proxy, 'ISTIO_META_OWNER')?.value).toBe(owner);
    expect(envOf(proxy, 'ISTIO_META_WORKLOAD_NAME')?.value).toBe(name);
    expect(pod.metadata.labels?.['service.istio.io/canonical-name']).toBe(canonicalName);
  });

  test('fields Go always prints are there, as istioctl writes them', () => {
    expect(injected.status).toEqual(status);
    for (const c of pod.spec.containers) expect(c.resources).toBeDefined();
  });
});

test('a Deployment and StatefulSet or DaemonSet get an empty strategy, as Go prints them', () => {
  expect((inject(byName('hello-deploy')).spec as { strategy: unknown }).strategy).toEqual({});
  expect((inject(byName('hello-sts')).spec as { updateStrategy: unknown }).updateStrategy).toEqual({});
  expect((inject(byName('hello-ds')).spec as { updateStrategy: unknown }).updateStrategy).toEqual({});
});

test('a CronJob is injected through its job template: labels and annotations go on the job template', () => {
  const cron = inject(byName('hello-cron')) as {
    spec: { jobTemplate: { metadata: KubeObject['metadata']; spec: any } };
  };
  expect(cron.spec.jobTemplate.metadata?.annotations?.['sidecar.istio.io/status']).toBeDefined();
  expect(cron.spec.jobTemplate.metadata?.labels?.['security.istio.io/tlsMode']).toBe('istio');
  // the pod template's own metadata is left as it was, as istioctl does
  expect(cron.spec.jobTemplate.spec.template.metadata).toEqual({ labels: { app: 'hello-cron' } });
});

test('a bare pod owned by a ReplicaSet of a Deployment reports the Deployment', () => {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: 'reviews-v1-5b9c8d7f6d-',
      namespace: 'bookinfo',
      labels: { app: 'reviews', 'pod-template-hash': '5b9c8d7f6d' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'reviews-v1-5b9c8d7f6d', controller: true }],
    },
    spec: { containers: [{ name: 'reviews', image: 'x/reviews:1' }] },
  };
  const proxy = proxyOf(podOf(inject(pod)).spec);
  expect(envOf(proxy, 'ISTIO_META_WORKLOAD_NAME')?.value).toBe('reviews-v1');
  expect(envOf(proxy, 'ISTIO_META_OWNER')?.value).toBe(
    'kubernetes://apis/apps/v1/namespaces/bookinfo/deployments/reviews-v1',
  );
});

test("a pod of a CronJob's Job reports the CronJob; the workload-name label overrides the name", () => {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: 'backup-28912345-',
      labels: { 'service.istio.io/workload-name': 'nightly-backup' },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'backup-28912345', controller: true }],
    },
    spec: { containers: [{ name: 'backup', image: 'x/backup:1' }] },
  };
  const proxy = proxyOf(podOf(inject(pod)).spec);
  expect(envOf(proxy, 'ISTIO_META_OWNER')?.value).toBe('kubernetes://apis/batch/v1/namespaces/default/cronjobs/backup');
  expect(envOf(proxy, 'ISTIO_META_WORKLOAD_NAME')?.value).toBe('nightly-backup');
});

test('a List has its workloads injected and its other items kept; it gets an empty metadata, as Go prints it', () => {
  const list = inject(objects.find((o) => o.kind === 'List')!);
  const items = list.items as KubeObject[];
  expect(items.map((i) => i.kind)).toEqual(['Deployment', 'ConfigMap']);
  expect(names(podOf(items[0]).spec.initContainers)).toEqual(['istio-init', 'istio-proxy']);
  expect(items[1]).toEqual({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'listed-config' },
    data: { key: 'value' },
  });
  expect(list.metadata).toEqual({});
});

test('objects that are not injectable workloads are returned as they are', () => {
  const service = objects.find((o) => o.kind === 'Service')!;
  expect(SidecarInjector.handles(service)).toBe(false);
  expect(inject(service)).toBe(service);
});

test('a workload of an old group version is injected by its kind, as kube-inject decodes unversioned kinds', () => {
  // pkg/kube/inject/initializer.go registers its kinds with AddUnversionedTypes; Scheme.New finds them by kind alone
  const legacy = objects.find((o) => o.apiVersion === 'extensions/v1beta1')!;
  const injected = inject(legacy) as any;
  expect(injected.apiVersion).toBe('extensions/v1beta1');
  const pod = injected.spec.template.spec;
  expect([...(pod.initContainers ?? []), ...pod.containers].map((c: any) => c.name)).toContain('istio-proxy');
});
