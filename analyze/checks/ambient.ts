import { l7FieldsOf } from '../authorization';
import type { Check } from '../check';
import { messageType, type MessageType } from '../finding';
import { arr, rec, str } from '../../kube/object';
import { GATEWAY_API_GROUP } from '../../kube/gateway-api';
import type { Mesh, ServiceModel } from '../mesh';

export const L7_RULE_NOT_ENFORCED: MessageType = messageType('HI0008');
export const ROUTE_WITHOUT_WAYPOINT: MessageType = messageType('HI0009');

/** Whether ztunnel carries the traffic to a Service: some workload behind it is in the ambient mesh. */
const ambientService = (mesh: Mesh, service: ServiceModel) =>
  mesh.endpointsOf(service).some((workload) => mesh.inAmbient(workload));

/**
 * What the ambient data plane silently ignores, which the sidecar data plane would have enforced:
 * - HI0008: HTTP rules (methods, paths, hosts, request principals, HTTP conditions) in a selector policy that ztunnel
 *   enforces for ambient workloads (it drops them: more restrictive than written, never what was meant), and a
 *   policy whose targetRefs name a Service of the ambient mesh that has no waypoint (no proxy enforces it);
 * - HI0009: a VirtualService for the mesh, or an HTTPRoute whose parent is a Service, routing a Service of the
 *   ambient mesh without a waypoint (ztunnel does no L7 routing).
 */
export const ambient: Check = {
  description: 'What the ambient data plane ignores: L7 rules without a waypoint, routes for Services without one',
  messages: [L7_RULE_NOT_ENFORCED, ROUTE_WITHOUT_WAYPOINT],
  run(mesh, report) {
    for (const policy of mesh.authorizationPolicies) {
      if (!policy.targetsRefs) {
        const meshWide = policy.namespace === mesh.rootNamespace;
        const workloads = mesh.selectWorkloads(meshWide ? undefined : policy.namespace, policy.selector ?? {});
        const inAmbient = workloads.filter((w) => mesh.inAmbient(w));
        if (inAmbient.length === 0) continue;
        policy.rules.forEach((rule, r) => {
          const fields = l7FieldsOf(rule);
          if (fields.length === 0) return;
          report(
            L7_RULE_NOT_ENFORCED,
            policy.object,
            `rule #${r} matches ${fields.join(', ')}, which ztunnel cannot read; it enforces this policy for ambient ` +
              `workload ${inAmbient[0].name} at L4 and ${policy.action === 'DENY' ? 'denies without the HTTP conditions' : 'never matches the rule'}: ` +
              'target the Service (targetRefs) and give it a waypoint',
            rule.path,
          );
        });
        continue;
      }
      policy.targetRefs.forEach((ref, i) => {
        if (ref.kind !== 'Service' || !['', 'core'].includes(ref.group)) return;
        const service = mesh.services.get(`${ref.namespace ?? policy.namespace}/${ref.name}`);
        if (!service || !ambientService(mesh, service) || mesh.waypointOf(service)) return;
        report(
          L7_RULE_NOT_ENFORCED,
          policy.object,
          `targets Service ${service.namespace}/${service.name}, which no waypoint serves (no istio.io/use-waypoint ` +
            'naming an existing waypoint): in the ambient mesh nothing enforces the policy',
          ['spec', 'targetRefs', i],
        );
      });
    }

    for (const vs of mesh.virtualServices) {
      if (vs.gateways.length > 0 && !vs.gateways.includes('mesh')) continue;
      vs.hosts.forEach((host, h) => {
        const target = mesh.resolveHost(host, vs.namespace);
        if (target?.kind !== 'Service' || !ambientService(mesh, target.service)) return;
        if (mesh.waypointOf(target.service)) return;
        report(ROUTE_WITHOUT_WAYPOINT, vs.object, withoutWaypoint(target.service), ['spec', 'hosts', h]);
      });
    }
    for (const route of mesh.index.ofKind('HTTPRoute')) {
      if (!route.ref.apiVersion.startsWith(`${GATEWAY_API_GROUP}/`)) continue;
      arr(rec(route.manifest.spec).parentRefs).forEach((raw, p) => {
        const parent = rec(raw);
        if (str(parent.kind) !== 'Service' || !['', 'core', undefined].includes(str(parent.group))) return;
        const namespace = str(parent.namespace) ?? route.ref.namespace ?? '';
        const service = mesh.services.get(`${namespace}/${str(parent.name)}`);
        if (!service || !ambientService(mesh, service) || mesh.waypointOf(service)) return;
        report(ROUTE_WITHOUT_WAYPOINT, route, withoutWaypoint(service), ['spec', 'parentRefs', p]);
      });
    }
  },
};

const withoutWaypoint = (service: ServiceModel) =>
  `routes Service ${service.namespace}/${service.name}, whose workloads are in the ambient mesh with no waypoint: ` +
  'ztunnel does not route at L7, so the route is ignored; label the Service istio.io/use-waypoint with a waypoint';
