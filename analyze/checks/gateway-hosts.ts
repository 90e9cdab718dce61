import type { Check } from '../check';
import { messageType, type MessageType } from '../finding';
import { hostsOverlap } from '../hosts';
import type { GatewayModel } from '../mesh';

export const HOST_NOT_IN_GATEWAY: MessageType = messageType('IST0132');

/**
 * A VirtualService bound to a Gateway must have a host that one of the Gateway's servers serves (istioctl's
 * GatewayAnalyzer): server hosts `ns/host` count for VirtualServices in `ns` (`.` is the Gateway's namespace, `*` any).
 * A Gateway that does not exist is IST0101's finding, not this one.
 */
export const gatewayHosts: Check = {
  description: 'A VirtualService bound to a Gateway has a host that the Gateway serves',
  messages: [HOST_NOT_IN_GATEWAY],
  run(mesh, report) {
    for (const vs of mesh.virtualServices) {
      vs.gateways.forEach((name, i) => {
        const gateway = name === 'mesh' ? undefined : mesh.gatewayNamed(name, vs.namespace);
        if (!gateway) return;
        const served = hostsFor(gateway, vs.namespace);
        if (!served.some((host) => vs.hosts.some((vsHost) => hostsOverlap(host, vsHost)))) {
          report(HOST_NOT_IN_GATEWAY, vs.object,
            `one or more host [${vs.hosts.join(' ')}] defined in VirtualService ${vs.namespace}/${vs.object.ref.name} not found in Gateway ${gateway.namespace}/${gateway.name}.`,
            ['spec', 'gateways', i]);
        }
      });
    }
  },
};

/** The hosts a Gateway serves to VirtualServices of a namespace (Istio's `host.NamesForNamespace`). */
function hostsFor(gateway: GatewayModel, namespace: string): string[] {
  return gateway.servers.flatMap((server) =>
    server.hosts.flatMap((host) => {
      const slash = host.indexOf('/');
      if (slash < 0) return [host];
      const scope = host.slice(0, slash) === '.' ? gateway.namespace : host.slice(0, slash);
      return scope === '*' || scope === namespace ? [host.slice(slash + 1)] : [];
    }),
  );
}
