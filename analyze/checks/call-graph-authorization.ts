import { callerMatches, decide, enforcementPoints, PolicyIndex, workloadPortOf, type Request } from '../authorization';
import { callerOf, principalOf, type CallGraph, type CallGraphEdge } from '../call-graph';
import type { Check, Report } from '../check';
import { messageType, type MessageType } from '../finding';
import { matchesPattern } from '../hosts';
import { type IndexedObject, type PodModel } from '../../kube/object-index';
import { arr, rec } from '../../kube/object';
import type { AuthorizationPolicyModel, Mesh, ServiceModel } from '../mesh';

export const EDGE_NOT_ALLOWED: MessageType = messageType('HI0002');

export const ALLOW_NOT_IN_CALL_GRAPH: MessageType = messageType('HI0003');

/**
 * The AuthorizationPolicies against the declared call graph, both ways (only when a call graph is given):
 * - every edge must get through: at each workload behind the called Service, on each port and method of the edge,
 *   no DENY policy may match and, when ALLOW policies apply there, one of them must admit it (HI0002);
 * - every ALLOW rule must be needed: each principal, namespace, method and port it admits must be used by some edge
 *   into the workloads it applies to, and a rule that admits any caller is too broad (HI0003).
 * Conditions that cannot be judged offline (paths, `when`, JWT claims) are given the benefit of the doubt.
 * In the ambient mesh a call is checked where Istio enforces it: at the Service's waypoint (policies with targetRefs)
 * and then by ztunnel at L4, which sees the waypoint as the caller (see enforcementPoints); each rule is judged
 * against the requests that arrive where it applies.
 */
export const callGraphAuthorization: Check = {
  description: 'Every call-graph edge has an ALLOW policy that admits it, and every ALLOW rule serves some edge',
  messages: [EDGE_NOT_ALLOWED, ALLOW_NOT_IN_CALL_GRAPH],
  run(mesh, report) {
    const graph = mesh.callGraph;
    if (!graph) return;
    const policies = new PolicyIndex(mesh);
    const atWorkload = new Map<PodModel, Request[]>();
    const atWaypoints = new Map<AuthorizationPolicyModel, Request[]>();
    const add = <K>(map: Map<K, Request[]>, key: K, request: Request) => {
      const list = map.get(key);
      if (list) list.push(request);
      else map.set(key, [request]);
    };
    graph.edges.forEach((edge, i) => {
      const object = edgeObject(mesh, graph, edge, i);
      const service = mesh.services.get(`${edge.to.namespace}/${edge.to.service}`);
      if (!service) {
        report(
          EDGE_NOT_ALLOWED,
          object,
          `the call graph calls Service ${edge.to.namespace}/${edge.to.service}, which does not exist`,
        );
        return;
      }
      for (const workload of mesh.endpointsOf(service)) {
        for (const request of requestsOf(graph, edge, service, workload)) {
          for (const point of enforcementPoints(mesh, policies, service, workload, request, graph.trustDomain)) {
            if (point.workload) add(atWorkload, point.workload, point.request);
            else for (const policy of point.policies) add(atWaypoints, policy, point.request);
          }
        }
      }
      checkEdge(mesh, graph, policies, edge, service, object, report);
    });
    for (const policy of mesh.authorizationPolicies) {
      if (policy.action !== 'ALLOW') continue;
      if (policy.targetsRefs) {
        // judged only where it reaches a waypoint of the call graph (other targets, such as gateways, are not modelled)
        checkPolicy(atWaypoints.get(policy) ?? [], atWaypoints.has(policy), policy, report);
      } else {
        const workloads = policies.workloadsOf(policy);
        checkPolicy(
          workloads.flatMap((workload) => atWorkload.get(workload) ?? []),
          workloads.length > 0,
          policy,
          report,
        );
      }
    }
  },
};

function checkEdge(
  mesh: Mesh,
  graph: CallGraph,
  policies: PolicyIndex,
  edge: CallGraphEdge,
  service: ServiceModel,
  object: IndexedObject,
  report: Report,
): void {
  for (const workload of mesh.endpointsOf(service)) {
    const targets = service.ports.flatMap((p) => workloadPortOf(service, p.port, workload) ?? []);
    const missing = (edge.ports ?? []).filter((port) => !targets.includes(port));
    if (missing.length > 0) {
      report(
        EDGE_NOT_ALLOWED,
        object,
        `the call graph calls port ${missing.join(', ')} of ${workload.name}, but Service ${service.namespace}/${service.name} sends traffic only to ${targets.join(', ')}`,
      );
      return;
    }
    for (const request of requestsOf(graph, edge, service, workload)) {
      for (const point of enforcementPoints(mesh, policies, service, workload, request, graph.trustDomain)) {
        const { allowed, deniedBy } = decide(point.policies, point.request);
        if (allowed) continue;
        const seen = point.request.principal === request.principal ? '' : ` (seen as ${point.request.principal})`;
        const where = point.at === `workload ${workload.name}` ? `workload ${workload.name}` : point.at;
        const call = `${request.principal} calling ${service.name} on port ${request.port}${request.method ? ` with ${request.method}` : ''} (${where}${seen})`;
        report(
          EDGE_NOT_ALLOWED,
          object,
          deniedBy
            ? `${call} is denied by AuthorizationPolicy ${deniedBy.namespace}/${deniedBy.object.ref.name}`
            : `${call} is admitted by no ALLOW AuthorizationPolicy that applies there`,
        );
        return;
      }
    }
  }
}

/** The requests an edge makes to one workload behind its Service: each port (by default, every port the Service targets) and method. */
function requestsOf(graph: CallGraph, edge: CallGraphEdge, service: ServiceModel, workload: PodModel): Request[] {
  const principal = principalOf(edge.from, graph.trustDomain);
  const ports = edge.ports ?? [
    ...new Set(service.ports.flatMap((p) => workloadPortOf(service, p.port, workload) ?? [])),
  ];
  return ports.flatMap((port) => (edge.methods ?? [undefined]).map((method) => ({ principal, port, method })));
}

/** One ALLOW policy against the requests that arrive where it applies (`applies`: it applies somewhere). */
function checkPolicy(
  requests: readonly Request[],
  applies: boolean,
  policy: AuthorizationPolicyModel,
  report: Report,
): void {
  // A policy without rules admits nothing (deny by default); one that applies nowhere is IST0127's finding.
  if (policy.rules.length === 0 || !applies) return;
  policy.rules.forEach((rule, r) => {
    const callers = requests.filter((request) => callerMatches(rule, request) !== 'no');
    const sources = rule.from?.map((f) => rec(f.source)) ?? [];
    const at = `rule #${r} of AuthorizationPolicy ${policy.namespace}/${policy.object.ref.name}`;
    if (sources.length === 0 || sources.some((s) => Object.keys(s).length === 0)) {
      const named = [...new Set(requests.map((q) => q.principal))];
      report(
        ALLOW_NOT_IN_CALL_GRAPH,
        policy.object,
        `${at} admits any caller; the call graph names ${named.length > 0 ? named.join(', ') : 'no caller'}`,
        rule.path,
      );
      return;
    }
    sources.forEach((source, s) => {
      for (const field of ['principals', 'namespaces'] as const) {
        arr(source[field]).forEach((value, v) => {
          const used =
            typeof value === 'string' &&
            requests.some((q) =>
              matchesPattern(value, field === 'principals' ? q.principal : (callerOf(q.principal)?.namespace ?? '')),
            );
          if (!used) {
            report(
              ALLOW_NOT_IN_CALL_GRAPH,
              policy.object,
              `${at} admits ${field === 'principals' ? 'principal' : 'namespace'} ${String(value)}, but no call-graph edge from it reaches the workloads it applies to`,
              [...rule.path, 'from', s, 'source', field, v],
            );
          }
        });
      }
    });
    // Methods and ports matter only for callers the graph has; a rule admitting none was reported above.
    if (callers.length === 0) return;
    (rule.to ?? []).forEach((to, t) => {
      const operation = rec(to.operation);
      for (const field of ['methods', 'ports'] as const) {
        arr(operation[field]).forEach((value, v) => {
          const used =
            typeof value === 'string' &&
            callers.some((q) =>
              field === 'ports' ? String(q.port) === value : q.method === undefined || matchesPattern(value, q.method),
            );
          if (!used) {
            report(
              ALLOW_NOT_IN_CALL_GRAPH,
              policy.object,
              `${at} admits ${field === 'ports' ? 'port' : 'method'} ${String(value)}, which no call-graph edge from the callers it admits uses`,
              [...rule.path, 'to', t, 'operation', field, v],
            );
          }
        });
      }
    });
  });
}

/** A call-graph edge as the object of its findings. */
function edgeObject(mesh: Mesh, graph: CallGraph, edge: CallGraphEdge, index: number): IndexedObject {
  const name = `${principalOf(edge.from, graph.trustDomain)} -> ${edge.to.service}.${edge.to.namespace}`;
  return {
    manifest: { apiVersion: 'hello-istio/call-graph', kind: 'CallGraphEdge', metadata: { name } },
    ref: { apiVersion: 'hello-istio/call-graph', kind: 'CallGraphEdge', name },
    index: mesh.objects.length + index,
    named: true,
  };
}
