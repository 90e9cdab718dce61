import type { Check } from '../check';
import { messageType, type MessageType } from '../finding';
import { selectorString } from '../hosts';
import type { Mesh, SelectorPolicy } from '../mesh';

export const NO_MATCHING_WORKLOADS: MessageType = messageType('IST0127');

/**
 * A security policy must apply to some workload in the mesh (istioctl's AuthorizationPoliciesAnalyzer, applied
 * to AuthorizationPolicy, PeerAuthentication and RequestAuthentication alike): with a selector, some in-mesh workload
 * of its namespace (of any namespace, in the root namespace) must match; without one, its namespace must have
 * in-mesh workloads (in the root namespace it applies mesh-wide and is not checked). Only workloads that will run
 * with a proxy count; policies attached by targetRef are not checked.
 */
export const workloadSelectors: Check = {
  description: 'AuthorizationPolicy, PeerAuthentication and RequestAuthentication selectors match in-mesh workloads',
  messages: [NO_MATCHING_WORKLOADS],
  run(mesh, report) {
    const policies: SelectorPolicy[] = [...mesh.authorizationPolicies, ...mesh.peerAuthentications, ...mesh.requestAuthentications];
    for (const policy of policies.sort((a, b) => a.object.index - b.object.index)) {
      if (policy.targetsRefs) continue;
      const meshWide = policy.namespace === mesh.rootNamespace;
      if (meshWide && !policy.selector) continue;
      if (!matchesInMeshWorkload(mesh, policy, meshWide)) {
        const labels = policy.selector ? selectorString(policy.selector) : '';
        report(NO_MATCHING_WORKLOADS, policy.object, `No matching workloads for this resource with the following labels: ${labels}`,
          policy.selector ? ['spec', 'selector'] : undefined);
      }
    }
  },
};

function matchesInMeshWorkload(mesh: Mesh, policy: SelectorPolicy, meshWide: boolean): boolean {
  return mesh.selectWorkloads(meshWide ? undefined : policy.namespace, policy.selector ?? {}).some((w) => w.inMesh);
}
