import { App, Chart } from 'cdk8s';
import { Waypoint } from '../../../cdk8s/mesh/waypoint';
import { waypointPlan } from '../../../cdk8s/mesh/waypoint-plan';
import { podTemplateOf, isWorkload } from '../../../kube/workload-kinds';
import { podSecurityViolations } from '../../../pod-security/pod-security-standards';
import type { KubeObject, Manifest } from '../../../kube/object';
import { testEnvironment } from '../../helpers/environments';
import { byName, findObject, objectsOf } from '../../helpers/manifests';

const ambient = testEnvironment((e) => {
  e.mesh = { dataplane: 'ambient' };
  e.bookinfo = { versions: { ratings: ['v1', 'v2'] } };
});
const objects = objectsOf(ambient);
const workloads = objects.filter((m) => isWorkload(m as KubeObject));

describe('Bookinfo on the ambient data plane', () => {
  test('its namespace is in ambient mode, opted out of injection, and enforces Pod Security restricted', () => {
    expect(findObject(objects, 'Namespace', 'bookinfo').metadata.labels).toMatchObject({
      'istio.io/dataplane-mode': 'ambient',
      'istio-injection': 'disabled',
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });

  test('no pod has a sidecar, an injection init container or an injection annotation', () => {
    expect(workloads.length).toBeGreaterThan(5);
    for (const workload of workloads) {
      const pod = podTemplateOf(workload as KubeObject);
      const containers = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].map((c) => c.name);
      expect(containers).not.toEqual(expect.arrayContaining(['istio-proxy']));
      expect(containers.filter((c) => c.startsWith('istio-'))).toEqual([]);
      expect(Object.keys(pod.metadata.annotations ?? {}).filter((a) => a.includes('istio.io'))).toEqual([]);
    }
  });

  test('every pod meets Pod Security restricted as it runs (nothing is added to ambient pods)', () => {
    for (const workload of workloads) {
      expect(podSecurityViolations(podTemplateOf(workload as KubeObject), 'restricted')).toEqual([]);
    }
  });

  test('a waypoint for each HTTP service whose authorization or routes need L7, none for the database', () => {
    const gateways = [...byName(objects, 'Gateway').values()].filter((g) => g.apiVersion.startsWith('gateway.'));
    expect(gateways.map((g) => g.metadata.name).sort()).toEqual([
      'details-waypoint',
      'productpage-waypoint',
      'ratings-waypoint',
      'reviews-waypoint',
    ]);
    for (const gateway of gateways) {
      expect(gateway).toMatchObject({
        apiVersion: 'gateway.networking.k8s.io/v1',
        metadata: { namespace: 'bookinfo', labels: { 'istio.io/waypoint-for': 'service' } },
        spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
      });
    }
    expect(findObject(objects, 'Service', 'mongodb').metadata.labels).not.toHaveProperty(['istio.io/use-waypoint']);
  });

  test('each Service uses its waypoint, and productpage (called by the ingress gateway) for ingress traffic too', () => {
    for (const service of ['details', 'reviews', 'ratings']) {
      const labels = findObject(objects, 'Service', service).metadata.labels as Record<string, string>;
      expect(labels['istio.io/use-waypoint']).toBe(`${service}-waypoint`);
      expect(labels).not.toHaveProperty(['istio.io/ingress-use-waypoint']);
    }
    expect(findObject(objects, 'Service', 'productpage').metadata.labels).toMatchObject({
      'istio.io/use-waypoint': 'productpage-waypoint',
      'istio.io/ingress-use-waypoint': 'true',
    });
  });

  test('the plan says why each service needs its waypoint', () => {
    const plan = waypointPlan(ambient);
    expect(plan.find((w) => w.service === 'details')?.reasons).toEqual([
      'authorization of productpage -> details by method or path',
      'routes',
    ]);
  });

  test('the sidecar data plane has no waypoints and no ambient labels', () => {
    const sidecar = objectsOf(testEnvironment());
    expect(sidecar.filter((m: Manifest) => m.apiVersion.startsWith('gateway.networking.k8s.io'))).toEqual([]);
    expect(JSON.stringify(sidecar)).not.toMatch(/dataplane-mode|use-waypoint/);
  });

  test('a service with neither routes nor L7 authorization gets no waypoint; one method in its edge gives it one', () => {
    const withPayments = (methods?: string[]) =>
      testEnvironment((e) => {
        e.mesh = { dataplane: 'ambient' };
        e.services = [{ name: 'payments', port: 8080, versions: [{ version: 'v1', image: 'example.com/payments:1' }] }];
        e.callGraph = [{ from: 'productpage', to: 'payments', ...(methods ? { methods } : {}) }];
      });
    expect(waypointPlan(withPayments()).map((w) => w.service)).not.toContain('payments');
    expect(waypointPlan(withPayments(['POST'])).find((w) => w.service === 'payments')).toEqual({
      service: 'payments',
      name: 'payments-waypoint',
      reasons: ['authorization of productpage -> payments by method or path'],
      ingress: false,
    });
  });
});

describe('Waypoint', () => {
  const chart = () => new Chart(new App(), 'test', { namespace: 'demo' });

  test('is a Gateway of class istio-waypoint with the HBONE listener, for the revision given', () => {
    const c = chart();
    const waypoint = new Waypoint(c, 'w', { name: 'payments-waypoint', revision: 'canary', trafficType: 'all' });
    expect(waypoint.serviceAccount).toBe('payments-waypoint');
    expect(c.toJson()[0]).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: {
        name: 'payments-waypoint',
        namespace: 'demo',
        labels: { 'istio.io/waypoint-for': 'all', 'istio.io/rev': 'canary' },
      },
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    });
  });

  test.each([
    [{ name: 'Bad_Name' }, /Waypoint "w": name = "Bad_Name": must be a DNS label/],
    [
      { name: 'ok', trafficType: 'everything' as never },
      /trafficType = "everything": must be one of service, workload, all, none/,
    ],
  ])('refuses %j', (props, message) => {
    expect(() => new Waypoint(chart(), 'w', props)).toThrow(message);
  });
});
