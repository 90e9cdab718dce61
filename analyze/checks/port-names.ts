import type { Check } from '../check';
import { messageType, type MessageType } from '../finding';
import { rec } from '../../kube/object';
import { SYSTEM_NAMESPACES } from '../../kube/sidecar-injection';
import type { ServicePortModel } from '../mesh';

export const PORT_NAME_NOT_CONVENTIONAL: MessageType = messageType('IST0118');

/** Protocols Istio recognizes in a port name's prefix or an appProtocol (istio.io/istio pkg/config/protocol). */
const PROTOCOLS = new Set(['tcp', 'udp', 'grpc', 'grpc-web', 'http', 'http_proxy', 'http2', 'https', 'tls', 'mongo', 'redis', 'mysql']);
/** appProtocol values Kubernetes defines, which Istio maps to HTTP/2 and HTTP. */
const KUBERNETES_APP_PROTOCOLS = new Set(['kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss']);
/** Ports Istio treats as TCP whatever their name (server-first protocols that sniffing would break). */
const WELL_KNOWN_PORTS = new Set([25, 53, 3306, 27017]);

/**
 * A Service port must declare its protocol, by `appProtocol` or a name `<protocol>[-<suffix>]`, or Istio falls back
 * to protocol sniffing (istioctl's PortNameAnalyzer). Services in system namespaces and the control plane's own
 * (labelled `istio` or `release: istio`) are skipped, as istioctl does.
 */
export const portNames: Check = {
  description: 'Service ports declare their protocol by name (`http`, `http-web`, ...) or appProtocol',
  messages: [PORT_NAME_NOT_CONVENTIONAL],
  run(mesh, report) {
    for (const service of mesh.services.values()) {
      if (!service.object || SYSTEM_NAMESPACES.has(service.namespace)) continue;
      const labels = rec(rec(service.object.manifest.metadata).labels);
      if (labels.istio !== undefined || labels.release === 'istio') continue;
      for (const port of service.ports) {
        if (protocolOf(port) !== undefined) continue;
        report(PORT_NAME_NOT_CONVENTIONAL, service.object,
          `Port name ${port.name ?? ''} (port: ${port.port}, targetPort: ${port.targetPort ?? port.port}) doesn't follow the naming convention of Istio port.`,
          port.path);
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
