import type { Check } from '../check';
import { messageType, type MessageType } from '../finding';
import { PROXY_CONTAINER } from '../../kube/sidecar-injection';

export const INVALID_APPLICATION_UID: MessageType = messageType('IST0144');

/** The UID the sidecar runs as; iptables lets its traffic bypass the proxy, so an app running as it escapes the mesh. */
const PROXY_UID = 1337;

/** Containers that are Istio's own (the proxy, its init and validation containers, the operator). */
const ISTIO_CONTAINERS = new Set([PROXY_CONTAINER, 'istio-init', 'istio-validation', 'istio-operator']);

/**
 * An application container must not run as UID 1337 (istioctl's ApplicationUIDAnalyzer), whether the container sets
 * it or inherits it from the pod's securityContext. Istio's own containers are exempt.
 */
export const applicationUid: Check = {
  description: 'No application container runs as UID 1337, which is reserved for the sidecar',
  messages: [INVALID_APPLICATION_UID],
  run(mesh, report) {
    for (const workload of mesh.workloads) {
      if (!workload.object) continue;
      for (const container of workload.containers) {
        if (ISTIO_CONTAINERS.has(container.name)) continue;
        const uid = container.runAsUser ?? workload.podRunAsUser;
        if (uid !== PROXY_UID) continue;
        const path =
          container.runAsUser === undefined
            ? [...workload.templatePath, 'spec', 'securityContext', 'runAsUser']
            : [...container.path, 'securityContext', 'runAsUser'];
        report(
          INVALID_APPLICATION_UID,
          workload.object,
          `User ID (UID) 1337 is reserved for the sidecar proxy: container ${container.name} runs as it.`,
          path,
        );
      }
    }
  },
};
