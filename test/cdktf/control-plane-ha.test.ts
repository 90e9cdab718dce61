import { parse } from 'yaml';
import { synthesizeKubernetes } from '../../cdk8s/kubernetes-app';
import { recurringWindow } from '../../cdktf/gke/maintenance-window';
import { testEnvironment } from '../helpers/environments';
import { onlyResource, synthesizeStacks, type TerraformStackJson } from '../helpers/terraform';

/** A stack's Helm releases by release name, with their values parsed. */
const releases = (stack: TerraformStackJson): Record<string, any> =>
  Object.fromEntries(
    Object.values(stack.resource.helm_release).map((r: any) => [r.name, { ...r, values: parse(r.values[0]) }]),
  );

describe('a control plane that survives node upgrades', () => {
  const env = testEnvironment();
  const synth = synthesizeStacks([env]);
  const byName = releases(synth.json('test-mesh'));

  test('istiod: two replicas at least, a PodDisruptionBudget, spread across nodes', () => {
    const { values } = byName.istiod;
    expect(values.pilot).toMatchObject({ autoscaleMin: 2, replicaCount: 2 });
    // The chart writes its PDB only when enabled and with more than one replica (poddisruptionbudget.yaml).
    expect(values.global.defaultPodDisruptionBudget).toEqual({ enabled: true });
    expect(values.pdb).toEqual({ minAvailable: 1 });
    expect(values.pilot.topologySpreadConstraints[0]).toEqual({
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: 'DoNotSchedule',
      nodeTaintsPolicy: 'Honor',
      labelSelector: { matchLabels: { app: 'istiod', istio: 'pilot' } },
    });
    expect(values.pilot.topologySpreadConstraints[1]).toMatchObject({ topologyKey: 'topology.kubernetes.io/zone' });
  });

  test('the ingress gateway: two replicas at least, a PodDisruptionBudget, spread across nodes, in istio-ingress', () => {
    const gateway = byName['istio-ingressgateway'];
    expect(gateway.namespace).toBe('istio-ingress');
    expect(gateway.values).toMatchObject({
      replicaCount: 2,
      autoscaling: { minReplicas: 2 },
      podDisruptionBudget: { minAvailable: 1 },
    });
    // The spread selects the gateway's own pods: the labels the Kubernetes side's Gateway selects.
    expect(gateway.values.topologySpreadConstraints[0].labelSelector).toEqual({
      matchLabels: env.ingressGateway.labels,
    });
  });

  test('a revision narrows istiod’s spread to its own pods', () => {
    const canary = releases(
      synthesizeStacks([testEnvironment((e) => (e.istio.revision = 'canary'))]).json('test-mesh'),
    );
    expect(canary['istiod-canary'].values.pilot.topologySpreadConstraints[0].labelSelector).toEqual({
      matchLabels: { app: 'istiod', 'istio.io/rev': 'canary' },
    });
  });

  test('the gateway namespace is one setting, read by the release, the Gateway and the authorization policies', () => {
    const own = testEnvironment((e) => (e.mesh = { mode: 'istio-helm', gatewayNamespace: 'gateways' }));
    expect(own.ingressGateway.namespace).toBe('gateways');
    expect(releases(synthesizeStacks([own]).json('test-mesh'))['istio-ingressgateway'].namespace).toBe('gateways');
    const manifests = synthesizeKubernetes(own).flatMap((chart) => chart.manifests) as any[];
    const principals = manifests
      .filter((m) => m.kind === 'AuthorizationPolicy')
      .flatMap((p) => (p.spec.rules ?? []).flatMap((r: any) => r.from.flatMap((f: any) => f.source.principals)));
    expect(principals).toContain('cluster.local/ns/gateways/sa/istio-ingressgateway');
    expect(principals.filter((p: string) => p.includes('ingressgateway'))).toEqual([
      'cluster.local/ns/gateways/sa/istio-ingressgateway',
    ]);
    // An Istio Gateway selects the gateway's pods by label, in whatever namespace they run.
    const gateway = manifests.find((m) => m.kind === 'Gateway');
    expect(gateway.spec.selector).toEqual(own.ingressGateway.labels);
  });

  test('the cluster has a maintenance window: weekends 01:00–09:00 UTC by default', () => {
    const cluster = onlyResource(synth.json('test-gke'), 'google_container_cluster');
    expect(cluster.maintenance_policy).toEqual({
      recurring_window: {
        start_time: '2026-01-03T01:00:00Z',
        end_time: '2026-01-03T09:00:00Z',
        recurrence: 'FREQ=WEEKLY;BYDAY=SA,SU',
      },
    });
  });
});

describe('maintenance windows from config', () => {
  test('daily, and windows that run past midnight', () => {
    expect(recurringWindow({ days: 'DAILY', startTime: '22:30', durationHours: 6 })).toEqual({
      startTime: '2026-01-03T22:30:00Z',
      endTime: '2026-01-04T04:30:00Z',
      recurrence: 'FREQ=DAILY',
    });
  });

  test('configured in the environment', () => {
    const env = testEnvironment(
      (e) => (e.cluster.maintenanceWindow = { days: ['TU', 'TH'], startTime: '03:00', durationHours: 6 }),
    );
    const cluster = onlyResource(synthesizeStacks([env]).json('test-gke'), 'google_container_cluster');
    expect(cluster.maintenance_policy.recurring_window.recurrence).toBe('FREQ=WEEKLY;BYDAY=TU,TH');
  });
});
