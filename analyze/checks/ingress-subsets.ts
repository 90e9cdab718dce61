import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';

export const INGRESS_ROUTE_RULES_NOT_AFFECTED: MessageType = messageType('IST0140');

/**
 * A VirtualService bound to gateways that sends a host's requests to no subset bypasses the subsets another
 * VirtualService (of that host) routes the host to: those subset rules apply to sidecars, not to the gateway's
 * requests (istioctl's virtualservice.DestinationHostAnalyzer). Hosts are compared as written, as istioctl does.
 */
export const ingressSubsets: Check = {
  description: "Routes from gateways that skip the subsets other VirtualServices route a host to",
  messages: [INGRESS_ROUTE_RULES_NOT_AFFECTED],
  run(mesh, report) {
    // VirtualServices that route their own host to subsets, and the hosts they do it for
    const subsetRouting = mesh.virtualServices.map((vs) => ({
      vs,
      hosts: new Set(vs.http.flatMap((route) => route.route).filter((d) => d.subset && vs.hosts.includes(d.host)).map((d) => d.host)),
    })).filter((entry) => entry.hosts.size > 0);
    for (const vs of mesh.virtualServices) {
      if (vs.gateways.length === 0) continue;
      for (const route of vs.http) {
        for (const destination of route.route) {
          if (destination.subset) continue;
          for (const other of subsetRouting) {
            if (!other.hosts.has(destination.host)) continue;
            report(INGRESS_ROUTE_RULES_NOT_AFFECTED, vs.object,
              formatMessage(INGRESS_ROUTE_RULES_NOT_AFFECTED, `${other.vs.namespace}/${other.vs.object.ref.name}`, `${vs.namespace}/${vs.object.ref.name}`), destination.path);
          }
        }
      }
    }
  },
};
