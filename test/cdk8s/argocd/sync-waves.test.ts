import type { Manifest } from '../../../kube/object';
import { synthesizeKubernetes } from '../../../cdk8s/kubernetes-app';
import { SYNC_WAVE_ANNOTATION, SYNC_WAVES, syncWaveOf, withSyncWaves } from '../../../cdk8s/argocd/sync-waves';
import { defaultEnvironment } from '../../helpers/environments';

const object = (kind: string, annotations?: Record<string, string>): Manifest => ({
  apiVersion: 'v1',
  kind,
  metadata: { name: 'x', namespace: 'bookinfo', ...(annotations && { annotations }) },
});

test('the namespace, then security policies, then workloads, then destination rules, then gateways and routes', () => {
  const order = [
    ['Namespace'],
    ['PeerAuthentication', 'AuthorizationPolicy', 'RequestAuthentication'],
    ['ServiceAccount', 'Service', 'Deployment', 'ConfigMap'],
    ['DestinationRule', 'ServiceEntry'],
    ['Gateway', 'VirtualService'],
  ];
  order.forEach((kinds, i) => {
    for (const kind of kinds) expect({ kind, wave: syncWaveOf(kind) }).toEqual({ kind, wave: i });
  });
});

test('no kind is in two waves', () => {
  const kinds = SYNC_WAVES.flatMap((w) => w.kinds);
  expect(new Set(kinds).size).toBe(kinds.length);
});

test('every object gets its wave as a string annotation; other annotations and an explicit wave stay', () => {
  const [namespace, route, chosen] = withSyncWaves([
    object('Namespace'),
    object('VirtualService', { 'example.com/owner': 'mesh' }),
    object('Deployment', { [SYNC_WAVE_ANNOTATION]: '-5' }),
  ]);
  expect(namespace.metadata.annotations).toEqual({ [SYNC_WAVE_ANNOTATION]: '0' });
  expect(route.metadata.annotations).toEqual({ 'example.com/owner': 'mesh', [SYNC_WAVE_ANNOTATION]: '4' });
  expect(chosen.metadata.annotations).toEqual({ [SYNC_WAVE_ANNOTATION]: '-5' });
});

test('the input objects are not changed', () => {
  const input = object('Service');
  withSyncWaves([input]);
  expect(input.metadata.annotations).toBeUndefined();
});

test('synthesizeKubernetes annotates every object it writes', () => {
  for (const { manifests } of synthesizeKubernetes(defaultEnvironment())) {
    for (const m of manifests) {
      expect((m.metadata.annotations as Record<string, string>)[SYNC_WAVE_ANNOTATION]).toBe(String(syncWaveOf(m.kind)));
    }
  }
});

test("a waypoint comes with the authorization policies it enforces, before the Services that name it; Istio's Gateway with the routes", () => {
  const [waypoint, istioGateway] = withSyncWaves([
    { ...object('Gateway'), apiVersion: 'gateway.networking.k8s.io/v1', spec: { gatewayClassName: 'istio-waypoint' } },
    { ...object('Gateway'), apiVersion: 'networking.istio.io/v1' },
  ]);
  expect(waypoint.metadata.annotations).toEqual({ [SYNC_WAVE_ANNOTATION]: '1' });
  expect(istioGateway.metadata.annotations).toEqual({ [SYNC_WAVE_ANNOTATION]: '4' });
});
