import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';
import { rec } from '../../kube/object';
import { SYSTEM_NAMESPACES } from '../../kube/sidecar-injection';
import type { ServicePortModel } from '../mesh';

export const PORT_NAME_NOT_CONVENTIONAL: MessageType = messageType('IST0118');

export const EXTERNAL_NAME_PORT_NAME: MessageType = messageType('IST0150');

/** `gateway.istio.io/managed` values of Services Istio deploys for Gateways and waypoints: not the user's to name. */
const MANAGED_GATEWAY_CONTROLLERS = new Set([
  'istio.io-gateway-controller',
  'istio.io-mesh-controller',
  'istio.io-eastwest-controller',
]);

/** Protocols Istio recognizes in a port name's prefix or an appProtocol (istio.io/istio pkg/config/protocol). */
const PROTOCOLS = new Set([
  'tcp',
  'udp',
  'grpc',
  'grpc-web',
  'http',
  'http_proxy',
  'http2',
  'https',
  'tls',
  'mongo',
  'redis',
  'mysql',
]);
/** appProtocol values Kubernetes defines, which Istio maps to HTTP/2 and HTTP. */
const KUBERNETES_APP_PROTOCOLS = new Set(['kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss']);
/** Ports Istio treats as TCP whatever their name (server-first protocols that sniffing would break). */
const WELL_KNOWN_PORTS = new Set([25, 53, 3306, 27017]);

/**
 * A Service port must declare its protocol, by `appProtocol` or a name `<protocol>[-<suffix>]`, or Istio falls back
 * to protocol sniffing (istioctl's PortNameAnalyzer). Services in system namespaces and the control plane's own
 * (labelled `istio` or `release: istio`), and those Istio deploys for Gateways and waypoints, are skipped, as istioctl
 * does. An ExternalName Service's ports must name a protocol other than plain `tcp` (IST0150): the proxy would not
 * forward its TCP traffic.
 */
export const portNames: Check = {
  description: 'Service ports declare their protocol by name (`http`, `http-web`, ...) or appProtocol',
  messages: [PORT_NAME_NOT_CONVENTIONAL, EXTERNAL_NAME_PORT_NAME],
  run(mesh, report) {
    for (const service of mesh.services.values()) {
      if (!service.object || SYSTEM_NAMESPACES.has(service.namespace)) continue;
      const labels = rec(rec(service.object.manifest.metadata).labels);
      if (labels.istio !== undefined || labels.release === 'istio') continue;
      if (MANAGED_GATEWAY_CONTROLLERS.has(String(labels['gateway.istio.io/managed']))) continue;
      const externalName = service.type === 'ExternalName';
      for (const port of service.ports) {
        if (protocolOf(port) !== undefined && !(externalName && port.name === 'tcp')) continue;
        if (externalName) {
          report(EXTERNAL_NAME_PORT_NAME, service.object, formatMessage(EXTERNAL_NAME_PORT_NAME), port.path);
          continue;
        }
        report(
          PORT_NAME_NOT_CONVENTIONAL,
          service.object,
          `Port name ${port.name ?? ''} (port: ${port.port}, targetPort: ${port.targetPort ?? port.port}) doesn't follow the naming convention of Istio port.`,
          port.path,
        );
      }
    }
  },
};

/** The protocol Istio reads from a Service port, or undefined when it would have to sniff it. */
export function protocolOf(port: ServicePortModel): string | undefined {
  if (port.protocol === 'UDP') return 'udp';
  const name = port.appProtocol ?? port.name ?? '';
  if (KUBERNETES_APP_PROTOCOLS.has(name)) return name;
  const lower = name.toLowerCase();
  const protocol = lower.startsWith('grpc-web') ? 'grpc-web' : lower.split('-')[0];
  if (PROTOCOLS.has(protocol)) return protocol;
  return WELL_KNOWN_PORTS.has(port.port) ? 'tcp' : undefined;
}
