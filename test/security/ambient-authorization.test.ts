import { App, Chart } from 'cdk8s';
import { decide, enforcementPoints, PolicyIndex } from '../../analyze/authorization';
import { principalOf } from '../../analyze/call-graph';
import { Mesh } from '../../analyze/mesh';
import { callGraphOf, meshContextOf } from '../../cdk8s/analyzer-context';
import { CallGraphAuthorization } from '../../cdk8s/security/call-graph-authorization';
import { HTTP_METHODS } from '../../config/call-graph';
import { testEnvironment } from '../helpers/environments';
import { findObject, objectsOf } from '../helpers/manifests';

const env = testEnvironment((e) => {
  e.mesh = { dataplane: 'ambient' };
  e.bookinfo = { versions: { ratings: ['v1', 'v2'], reviews: ['v1', 'v2', 'v3'] } };
});
const objects = objectsOf(env);
const policy = (name: string) => findObject(objects, 'AuthorizationPolicy', name);

describe('authorization from the call graph on the ambient data plane', () => {
  test('deny by default at both layers: ztunnel (no selector) and every waypoint (targetRefs)', () => {
    expect(policy('allow-nothing').spec).toEqual({});
    const { targetRefs, ...rest } = policy('allow-nothing-at-waypoints').spec;
    expect(rest).toEqual({});
    expect(targetRefs).toHaveLength(4);
    expect(targetRefs).toEqual(
      expect.arrayContaining(
        ['details', 'productpage', 'ratings', 'reviews'].map((s) => ({
          group: 'gateway.networking.k8s.io',
          kind: 'Gateway',
          name: `${s}-waypoint`,
        })),
      ),
    );
  });

  test('L7 (methods, paths) in policies that target the Service, which its waypoint enforces', () => {
    expect(policy('details-callers').spec).toEqual({
      action: 'ALLOW',
      targetRefs: [{ group: '', kind: 'Service', name: 'details' }],
      rules: [
        {
          from: [{ source: { principals: ['cluster.local/ns/bookinfo/sa/bookinfo-productpage'] } }],
          to: [{ operation: { methods: ['GET'], paths: ['/details/*'], ports: ['9080'] } }],
        },
      ],
    });
  });

  test('L4 (principals, ports) in selector policies that ztunnel enforces: only the waypoint reaches its pods', () => {
    expect(policy('details-via-waypoint').spec).toEqual({
      action: 'ALLOW',
      selector: { matchLabels: { app: 'details' } },
      rules: [
        {
          from: [{ source: { principals: ['cluster.local/ns/bookinfo/sa/details-waypoint'] } }],
          to: [{ operation: { ports: ['9080'] } }],
        },
      ],
    });
    // the database has no waypoint: its callers by principal and port, as ztunnel reads them
    expect(policy('mongodb-callers').spec).toEqual({
      action: 'ALLOW',
      selector: { matchLabels: { app: 'mongodb' } },
      rules: [
        {
          from: [{ source: { principals: ['cluster.local/ns/bookinfo/sa/bookinfo-ratings-v2'] } }],
          to: [{ operation: { ports: ['27017'] } }],
        },
      ],
    });
  });

  test('no selector policy carries an L7 field, which ztunnel would drop', () => {
    for (const p of objects.filter((m) => m.kind === 'AuthorizationPolicy')) {
      const spec = p.spec as { selector?: unknown; rules?: { to?: { operation: object }[] }[] };
      if (!spec.selector) continue;
      for (const rule of spec.rules ?? []) {
        for (const to of rule.to ?? []) expect(Object.keys(to.operation)).toEqual(['ports']);
      }
    }
  });

  test('together the layers allow exactly the call graph: every caller, service, port and method', () => {
    const mesh = new Mesh(objects, meshContextOf(env));
    const index = new PolicyIndex(mesh);
    const graph = callGraphOf(env);
    const callers = [
      ...new Set([
        ...graph.edges.map((e) => principalOf(e.from)),
        ...mesh.workloads.map((w) => `cluster.local/ns/${w.namespace}/sa/${w.serviceAccount}`),
        'cluster.local/ns/bookinfo/sa/details-waypoint',
        'cluster.local/ns/elsewhere/sa/stranger',
      ]),
    ];
    const allowed: string[] = [];
    const expected: string[] = [];
    for (const service of [...mesh.services.values()].filter((s) => s.namespace === 'bookinfo')) {
      const workload = mesh.endpointsOf(service)[0];
      if (!workload) continue;
      for (const principal of callers) {
        for (const { port } of service.ports) {
          for (const method of service.ports[0].name?.startsWith('http') ? HTTP_METHODS : [undefined]) {
            const request = { principal, port, method };
            const points = enforcementPoints(mesh, index, service, workload, request);
            const call = `${principal} ${service.name}:${port} ${method ?? 'tcp'}`;
            if (points.every((p) => decide(p.policies, p.request).allowed)) allowed.push(call);
            const edge = graph.edges.find(
              (e) =>
                principalOf(e.from) === principal &&
                e.to.service === service.name &&
                (e.ports ?? [port]).includes(port) &&
                (!e.methods || (method !== undefined && e.methods.includes(method))),
            );
            if (edge) expected.push(call);
          }
        }
      }
    }
    expect(expected.length).toBeGreaterThan(5);
    expect(allowed.sort()).toEqual(expected.sort());
  });

  test('no caller goes around a waypoint: straight to the pods, ztunnel admits only the waypoint', () => {
    const mesh = new Mesh(objects, meshContextOf(env));
    const index = new PolicyIndex(mesh);
    const details = mesh.workloads.find((w) => w.name === 'details-v1')!;
    const at = (principal: string) => decide(index.policiesOf(details), { principal, port: 9080, layer: 'L4' }).allowed;
    expect(at('cluster.local/ns/bookinfo/sa/bookinfo-productpage')).toBe(false);
    expect(at('cluster.local/ns/bookinfo/sa/details-waypoint')).toBe(true);
  });
});

describe('CallGraphAuthorization on the ambient data plane', () => {
  const chart = () => new Chart(new App(), 'test', { namespace: 'demo' });
  const call = {
    from: [{ namespace: 'demo', serviceAccount: 'web' }],
    to: { name: 'api', versions: ['v1'], ports: [8080] },
  };

  test('an L7 rule for a service without a waypoint is an error naming the call', () => {
    expect(
      () =>
        new CallGraphAuthorization(chart(), 'authz', { calls: [{ ...call, methods: ['GET'] }], dataplane: 'ambient' }),
    ).toThrow(
      'CallGraphAuthorization "authz": call to api: allows methods GET, an L7 rule that ztunnel cannot enforce, and api has no waypoint',
    );
  });

  test('waypoints on the sidecar data plane are an error', () => {
    expect(
      () => new CallGraphAuthorization(chart(), 'authz', { calls: [call], waypoints: { api: 'api-waypoint' } }),
    ).toThrow('waypoints are given, but only the ambient data plane has them');
  });

  test('an L4 call without a waypoint is a selector policy with principals and port', () => {
    const c = chart();
    new CallGraphAuthorization(c, 'authz', { calls: [call], dataplane: 'ambient' });
    expect(c.toJson().map((o) => o.metadata.name)).toEqual(['allow-nothing', 'api-callers']);
  });
});
