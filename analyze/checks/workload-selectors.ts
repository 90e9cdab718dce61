import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';
import { rec, strings } from '../../kube/object';
import { REFERENCED_RESOURCE_NOT_FOUND } from './virtual-service-references';
import { selectorString } from '../hosts';
import type { Mesh, SelectorPolicy } from '../mesh';

export const NO_MATCHING_WORKLOADS: MessageType = messageType('IST0127');

/**
 * A security policy must apply to some workload in the mesh (istioctl's AuthorizationPoliciesAnalyzer, applied
 * to AuthorizationPolicy, PeerAuthentication and RequestAuthentication alike): with a selector, some in-mesh workload
 * of its namespace (of any namespace, in the root namespace) must match; without one, its namespace must have
 * in-mesh workloads (in the root namespace it applies mesh-wide and is not checked). Only workloads that will run
 * with a proxy count, or in the ambient mesh (the CNI node agent marks those pods `ambient.istio.io/redirection` when
 * they start); policies attached by targetRef are not checked.
 */
export const workloadSelectors: Check = {
  description: 'AuthorizationPolicy, PeerAuthentication and RequestAuthentication selectors match in-mesh workloads',
  messages: [NO_MATCHING_WORKLOADS],
  run(mesh, report) {
    const policies: SelectorPolicy[] = [
      ...mesh.authorizationPolicies,
      ...mesh.peerAuthentications,
      ...mesh.requestAuthentications,
    ];
    for (const policy of policies.sort((a, b) => a.object.index - b.object.index)) {
      if (policy.targetsRefs) continue;
      const meshWide = policy.namespace === mesh.rootNamespace;
      if (meshWide && !policy.selector) continue;
      if (!matchesInMeshWorkload(mesh, policy, meshWide)) {
        const labels = policy.selector ? selectorString(policy.selector) : '';
        report(
          NO_MATCHING_WORKLOADS,
          policy.object,
          `No matching workloads for this resource with the following labels: ${labels}`,
          policy.selector ? ['spec', 'selector'] : undefined,
        );
      }
    }
  },
};

function matchesInMeshWorkload(mesh: Mesh, policy: SelectorPolicy, meshWide: boolean): boolean {
  return mesh
    .selectWorkloads(meshWide ? undefined : policy.namespace, policy.selector ?? {})
    .some((w) => w.inMesh || mesh.inAmbient(w) || w.annotations['ambient.istio.io/redirection'] === 'enabled');
}

/**
 * The namespaces an AuthorizationPolicy's sources name (`namespaces`, `notNamespaces`; `*` wildcards at either end)
 * must exist (istioctl's AuthorizationPoliciesAnalyzer): a namespace exists if the manifests declare it, put an object
 * in it, or the context names it (the root namespace, the control plane's gateways).
 */
export const authorizationNamespaces: Check = {
  description: "The namespaces an AuthorizationPolicy's sources name exist",
  messages: [REFERENCED_RESOURCE_NOT_FOUND],
  run(mesh, report) {
    const known = new Set<string>([
      mesh.rootNamespace,
      ...mesh.namespaces.keys(),
      ...mesh.workloads.map((w) => w.namespace),
    ]);
    for (const object of mesh.objects) if (object.named && object.ref.namespace) known.add(object.ref.namespace);
    const exists = (pattern: string) => [...known].some((ns) => namespaceMatch(ns, pattern));
    for (const policy of mesh.authorizationPolicies) {
      policy.rules.forEach((rule, i) => {
        (rule.from ?? []).forEach((from, j) => {
          const source = rec(from.source);
          for (const field of ['namespaces', 'notNamespaces']) {
            strings(source[field]).forEach((ns, k) => {
              if (!exists(ns))
                report(
                  REFERENCED_RESOURCE_NOT_FOUND,
                  policy.object,
                  formatMessage(REFERENCED_RESOURCE_NOT_FOUND, 'namespace', ns),
                  ['spec', 'rules', i, 'from', j, 'source', field, k],
                );
            });
          }
        });
      });
    }
  },
};

/** A namespace against a pattern of an AuthorizationPolicy: `*`, `*suffix`, `prefix*` or a name (any case). */
function namespaceMatch(ns: string, pattern: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return ns.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return ns.startsWith(pattern.slice(0, -1));
  return ns.toLowerCase() === pattern.toLowerCase();
}
