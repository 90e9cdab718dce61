import type { Check } from '../check';
import { messageType, type MessageType } from '../finding';
import { selectorString } from '../hosts';
import { type PodModel } from '../../kube/object-index';
import type { Mesh } from '../mesh';
import { REFERENCED_RESOURCE_NOT_FOUND } from './virtual-service-references';

export const GATEWAY_PORT_NOT_ON_SERVICE: MessageType = messageType('IST0162');

/**
 * A Gateway's server ports must be ports its gateway pods are reached on through their Service (istioctl's
 * IngressGatewayPortAnalyzer). A server port is served through the Service when it is a Service port's targetPort
 * (the proxy listens on it; a named targetPort is looked up among the pod's container ports), or a Service port
 * itself: Istio (since 1.6) then listens on that port's targetPort, which is how a Gateway on port 80 works with a
 * gateway that runs unprivileged on 8080. istioctl accepts only the first; both reach the gateway.
 * The gateway pods are the workloads in the manifests that the Gateway's selector matches, and the control plane's
 * ingress gateways when the context names them. A selector that matches no gateway is IST0101, but only when the
 * gateways outside the manifests are known (in a synth); otherwise the Gateway is left unchecked.
 */
export const gatewayPorts: Check = {
  description:
    "A Gateway's selector matches a gateway, and its server ports are target ports of that gateway's Service",
  messages: [REFERENCED_RESOURCE_NOT_FOUND, GATEWAY_PORT_NOT_ON_SERVICE],
  run(mesh, report) {
    for (const gateway of mesh.gateways.values()) {
      const selector = selectorString(gateway.selector);
      const pods = mesh.selectWorkloads(undefined, gateway.selector);
      if (pods.length === 0) {
        if (mesh.gatewayWorkloadsKnown) {
          report(REFERENCED_RESOURCE_NOT_FOUND, gateway.object, `Referenced selector not found: "${selector}"`, [
            'spec',
            'selector',
          ]);
        }
        continue;
      }
      const listening = new Set(pods.flatMap((pod) => servicePortsReaching(mesh, pod)));
      for (const server of gateway.servers) {
        if (server.port !== undefined && !listening.has(server.port)) {
          report(
            GATEWAY_PORT_NOT_ON_SERVICE,
            gateway.object,
            `The gateway is listening on a target port (port ${server.port}) that is not defined in the Service associated with its workload instances (Pod selector ${selector}). If you need to access the gateway port through the gateway Service, it will not be available.`,
            [...server.path, 'port', 'number'],
          );
        }
      }
    }
  },
};

/** The server ports that reach a gateway workload through the Services selecting it: TCP Service ports and their targets. */
function servicePortsReaching(mesh: Mesh, pod: PodModel): number[] {
  return mesh.servicesOf(pod).flatMap((service) =>
    service.ports
      .filter((port) => port.protocol === 'TCP')
      .flatMap((port) => {
        if (typeof port.targetPort === 'number') return [port.port, port.targetPort];
        if (typeof port.targetPort === 'string') {
          const named = pod.containers.flatMap((c) => c.ports).find((p) => p.name === port.targetPort);
          if (named) return [port.port, named.containerPort];
        }
        return [port.port];
      }),
  );
}
