import { callerOf } from '../call-graph';
import type { Check } from '../check';
import { messageType, type MessageType } from '../finding';
import { arr, rec } from '../../kube/object';

export const PRINCIPAL_WITHOUT_WORKLOAD: MessageType = messageType('HI0005');

/**
 * Principals (`<trust domain>/ns/<namespace>/sa/<account>`) and service accounts (`<namespace>/<account>`) that an
 * AuthorizationPolicy names must belong to a workload. Only namespaces among the manifests are judged (a Namespace
 * object is there), since another namespace's workloads are unknown; wildcards are not judged. Waypoints count as
 * workloads.
 */
export const principals: Check = {
  description: 'Principals in AuthorizationPolicies name service accounts that workloads run as',
  messages: [PRINCIPAL_WITHOUT_WORKLOAD],
  run(mesh, report) {
    // The workloads of the manifests, the gateways the context says the control plane runs (an ingress gateway that
    // Istio deploys for a Gateway API Gateway in an application's namespace, for one), and the waypoints, which run as
    // the ServiceAccount istiod names after their Gateway.
    const accounts = new Set([
      ...mesh.workloads.flatMap((w) => (w.serviceAccount ? [`${w.namespace}/${w.serviceAccount}`] : [])),
      ...mesh.waypoints.keys(),
    ]);
    for (const policy of mesh.authorizationPolicies) {
      for (const rule of policy.rules) {
        (rule.from ?? []).forEach((from, f) => {
          const source = rec(from.source);
          for (const field of ['principals', 'notPrincipals', 'serviceAccounts', 'notServiceAccounts'] as const) {
            arr(source[field]).forEach((value, v) => {
              if (typeof value !== 'string' || value.includes('*')) return;
              const caller = field.endsWith('rincipals') ? callerOf(value) : accountOf(value);
              if (!caller || !mesh.namespaces.has(caller.namespace)) return;
              if (accounts.has(`${caller.namespace}/${caller.serviceAccount}`)) return;
              report(
                PRINCIPAL_WITHOUT_WORKLOAD,
                policy.object,
                `${value} names service account ${caller.serviceAccount}, which no workload in namespace ${caller.namespace} runs as`,
                [...rule.path, 'from', f, 'source', field, v],
              );
            });
          }
        });
      }
    }
  },
};

function accountOf(value: string): { namespace: string; serviceAccount: string } | undefined {
  const [namespace, serviceAccount, ...rest] = value.split('/');
  return serviceAccount && rest.length === 0 ? { namespace, serviceAccount } : undefined;
}
