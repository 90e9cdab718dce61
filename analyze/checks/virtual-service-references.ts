import type { Check, Report } from '../check';
import { messageType, type MessageType } from '../finding';
import { resourceKeyOfHost } from '../hosts';
import type { DestinationModel, Mesh, VirtualServiceModel } from '../mesh';

export const REFERENCED_RESOURCE_NOT_FOUND: MessageType = messageType('IST0101');

export const DESTINATION_PORT_REQUIRED: MessageType = messageType('IST0112');

/**
 * What a VirtualService points at must exist (istioctl's GatewayAnalyzer, DestinationHostAnalyzer and
 * DestinationRuleAnalyzer): its gateways, its destination and mirror hosts (a Service or ServiceEntry visible from
 * its namespace), the port of a destination, and the subset of a destination in a DestinationRule for that host.
 * A destination without a port on a multi-port service is ambiguous.
 */
export const virtualServiceReferences: Check = {
  description: "A VirtualService's gateways, destination hosts, ports and subsets exist; multi-port destinations name a port",
  messages: [REFERENCED_RESOURCE_NOT_FOUND, DESTINATION_PORT_REQUIRED],
  run(mesh, report) {
    const subsets = new Set<string>();
    for (const rule of mesh.destinationRules) {
      for (const subset of rule.subsets) subsets.add(`${resourceKeyOfHost(rule.host, rule.namespace)}+${subset.name}`);
    }
    for (const vs of mesh.virtualServices) {
      vs.gateways.forEach((gateway, i) => {
        if (gateway !== 'mesh' && !mesh.gatewayNamed(gateway, vs.namespace)) {
          report(REFERENCED_RESOURCE_NOT_FOUND, vs.object, `Referenced gateway not found: "${gateway}"`, ['spec', 'gateways', i]);
        }
      });
      for (const { destination, mirror } of destinationsOf(vs)) {
        checkDestination(mesh, vs, destination, mirror, report);
        if (destination.subset && !subsets.has(`${resourceKeyOfHost(destination.host, vs.namespace)}+${destination.subset}`)) {
          const what = mirror ? 'mirror+subset' : 'host+subset';
          report(REFERENCED_RESOURCE_NOT_FOUND, vs.object, `Referenced ${what} in destinationrule not found: "${destination.host}+${destination.subset}"`, destination.path);
        }
      }
    }
  },
};

function checkDestination(mesh: Mesh, vs: VirtualServiceModel, destination: DestinationModel, mirror: boolean, report: Report): void {
  const target = mesh.resolveHost(destination.host, vs.namespace, vs.exportTo);
  if (!target) {
    report(REFERENCED_RESOURCE_NOT_FOUND, vs.object, `Referenced ${mirror ? 'mirror host' : 'host'} not found: "${destination.host}"`, [...destination.path, 'host']);
  } else if (destination.port === undefined) {
    if (target.ports.length > 1) {
      report(DESTINATION_PORT_REQUIRED, vs.object,
        `This VirtualService routes to a service "${destination.host}" that exposes multiple ports [${target.ports.join(' ')}]. Specifying a port in the destination is required to disambiguate.`,
        destination.path);
    }
  } else if (!target.ports.includes(destination.port)) {
    report(REFERENCED_RESOURCE_NOT_FOUND, vs.object, `Referenced host:port not found: "${destination.host}:${destination.port}"`, [...destination.path, 'port', 'number']);
  }
}

/** Route destinations (http, tcp, tls) and mirrors, in order. */
export function destinationsOf(vs: VirtualServiceModel): { destination: DestinationModel; mirror: boolean }[] {
  return [...vs.tcp, ...vs.tls, ...vs.http].flatMap((route) => [
    ...route.route.map((destination) => ({ destination, mirror: false })),
    ...route.mirrors.map((destination) => ({ destination, mirror: true })),
  ]);
}
