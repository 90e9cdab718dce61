import { selects } from '../../kube/object';
import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';
import { resourceKeyOfHost } from '../hosts';
import type { Mesh } from '../mesh';

export const INGRESS_ROUTE_RULES_NOT_AFFECTED: MessageType = messageType('IST0140');

/**
 * A VirtualService bound to gateways that sends a host's requests to no subset bypasses the subsets another
 * VirtualService (of that host) routes the host to: those subset rules apply to sidecars, not to the gateway's
 * requests (istioctl's virtualservice.DestinationHostAnalyzer). Hosts are compared as written, as istioctl does.
 * Unlike istioctl, a bypass that changes nothing is not reported: when the subsets routed to select every pod of the
 * host's Service (productpage routed to its only version, v1), the gateway's requests reach the same pods.
 */
export const ingressSubsets: Check = {
  description: 'Routes from gateways that skip the subsets other VirtualServices route a host to',
  messages: [INGRESS_ROUTE_RULES_NOT_AFFECTED],
  run(mesh, report) {
    // VirtualServices that route their own host to subsets, and the hosts they do it for
    const subsetRouting = mesh.virtualServices
      .map((vs) => ({
        vs,
        hosts: new Set(
          vs.http
            .flatMap((route) => route.route)
            .filter((d) => d.subset && vs.hosts.includes(d.host))
            .map((d) => d.host),
        ),
        subsets: vs.http.flatMap((route) => route.route).filter((d) => d.subset && vs.hosts.includes(d.host)),
      }))
      .filter((entry) => entry.hosts.size > 0);
    for (const vs of mesh.virtualServices) {
      if (vs.gateways.length === 0) continue;
      for (const route of vs.http) {
        for (const destination of route.route) {
          if (destination.subset) continue;
          for (const other of subsetRouting) {
            if (!other.hosts.has(destination.host)) continue;
            const subsets = other.subsets.filter((d) => d.host === destination.host).map((d) => d.subset!);
            if (subsetsCoverEndpoints(mesh, destination.host, other.vs.namespace, subsets)) continue;
            report(
              INGRESS_ROUTE_RULES_NOT_AFFECTED,
              vs.object,
              formatMessage(
                INGRESS_ROUTE_RULES_NOT_AFFECTED,
                `${other.vs.namespace}/${other.vs.object.ref.name}`,
                `${vs.namespace}/${vs.object.ref.name}`,
              ),
              destination.path,
            );
          }
        }
      }
    }
  },
};

/** Whether the named subsets of a host's DestinationRules together select every pod behind its Service (which has some). */
function subsetsCoverEndpoints(mesh: Mesh, host: string, namespace: string, subsets: readonly string[]): boolean {
  const target = mesh.resolveHost(host, namespace);
  if (target?.kind !== 'Service') return false;
  const endpoints = mesh.endpointsOf(target.service);
  const key = resourceKeyOfHost(host, namespace);
  const selectors = mesh.destinationRules
    .filter((rule) => resourceKeyOfHost(rule.host, rule.namespace) === key)
    .flatMap((rule) => rule.subsets.filter((subset) => subsets.includes(subset.name)).map((subset) => subset.labels));
  return endpoints.length > 0 && endpoints.every((pod) => selectors.some((labels) => selects(labels, pod.labels)));
}
