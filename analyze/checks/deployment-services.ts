import { labelsOf } from '../../kube/object';
import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';
import type { ServiceModel } from '../mesh';

export const MULTIPLE_SERVICES_PROTOCOLS: MessageType = messageType('IST0116');
export const CONFLICTING_PORTS: MessageType = messageType('IST0137');

/**
 * The Services that select an in-mesh Deployment's pods must agree on each port (istioctl's
 * deployment.ServiceAssociationAnalyzer): one port number with two protocols (IST0116), or one target port behind
 * two different service ports (IST0137), leaves the sidecar with conflicting listeners. Waypoints are skipped.
 */
export const deploymentServices: Check = {
  description: "The Services selecting a Deployment agree on its ports' protocols and target ports",
  messages: [MULTIPLE_SERVICES_PROTOCOLS, CONFLICTING_PORTS],
  run(mesh, report) {
    for (const pod of mesh.workloads) {
      if (!pod.object || pod.kind !== 'Deployment' || !pod.inMesh) continue;
      if (labelsOf(pod.object.manifest.metadata.labels)['gateway.istio.io/managed'] === 'istio.io-mesh-controller')
        continue;
      const services = mesh.servicesOf(pod).filter((s) => s.object);
      const name = (s: ServiceModel) => `${s.namespace}/${s.name}`;
      const protocols = new Map<number, Map<string, string[]>>();
      const targets = new Map<string, Map<number, string>>();
      for (const service of services) {
        for (const port of service.ports) {
          const byProtocol = protocols.get(port.port) ?? new Map<string, string[]>();
          protocols.set(port.port, byProtocol);
          byProtocol.set(port.protocol, [...(byProtocol.get(port.protocol) ?? []), name(service)]);
          const target =
            port.targetPort === undefined || port.targetPort === 0 || port.targetPort === ''
              ? String(port.port)
              : String(port.targetPort);
          const byPort = targets.get(target) ?? new Map<number, string>();
          targets.set(target, byPort);
          byPort.set(port.port, name(service));
        }
      }
      for (const [port, byProtocol] of protocols) {
        if (byProtocol.size < 2) continue;
        report(
          MULTIPLE_SERVICES_PROTOCOLS,
          pod.object,
          formatMessage(MULTIPLE_SERVICES_PROTOCOLS, pod.name, port, [...byProtocol.values()].flat().sort()),
          ['metadata', 'name'],
        );
      }
      for (const [target, byPort] of targets) {
        if (byPort.size < 2) continue;
        report(
          CONFLICTING_PORTS,
          pod.object,
          formatMessage(
            CONFLICTING_PORTS,
            pod.name,
            [...byPort.values()].sort(),
            target,
            [...byPort.keys()].sort((a, b) => a - b),
          ),
          ['metadata', 'name'],
        );
      }
    }
  },
};
