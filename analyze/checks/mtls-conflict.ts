import type { Check } from '../check';
import { messageType, type MessageType } from '../finding';
import { hostsOverlap } from '../hosts';
import { type PodModel } from '../../kube/object-index';
import type { DestinationRuleModel, Mesh, PeerAuthenticationModel, ServiceModel, TrafficPolicyModel } from '../mesh';
import { workloadPortOf } from '../authorization';

export const STRICT_MTLS_WITH_TLS_DISABLED: MessageType = messageType('HI0004');

/**
 * A DestinationRule with `tls.mode: DISABLE` (for the host, a port, or a subset) makes clients send plaintext;
 * if the PeerAuthentication in force on the workloads behind that host is STRICT on that port, every such call is
 * refused. The PeerAuthentication in force is Istio's: the workload's own (by selector, with its port-level
 * override), else its namespace's, else the mesh's (root namespace), UNSET inheriting from the next level.
 */
export const mtlsConflict: Check = {
  description: 'No DestinationRule disables TLS towards workloads that require STRICT mTLS',
  messages: [STRICT_MTLS_WITH_TLS_DISABLED],
  run(mesh, report) {
    if (mesh.peerAuthentications.length === 0) return;
    const peer = new PeerIndex(mesh);
    for (const rule of mesh.destinationRules) {
      for (const service of servicesOf(mesh, rule)) {
        const endpoints = mesh.endpointsOf(service);
        const scopes = [
          {
            subset: undefined as string | undefined,
            policies: [rule.trafficPolicy],
            workloads: endpoints,
            path: ['spec', 'trafficPolicy'],
          },
          ...rule.subsets.map((s) => ({
            subset: s.name,
            policies: [s.trafficPolicy, rule.trafficPolicy],
            workloads: endpoints.filter((w) => Object.entries(s.labels).every(([k, v]) => w.labels[k] === v)),
            path: [...s.path, 'trafficPolicy'],
          })),
        ];
        for (const scope of scopes) {
          for (const { port } of service.ports) {
            if (tlsModeOf(scope.policies, port) !== 'DISABLE') continue;
            const strict = scope.workloads.flatMap((w) => {
              const workloadPort = workloadPortOf(service, port, w);
              const decided = workloadPort === undefined ? undefined : peer.modeOf(w, workloadPort);
              return decided?.mode === 'STRICT' ? [{ workload: w, policy: decided.policy }] : [];
            });
            if (strict.length === 0) continue;
            const by = [...new Set(strict.map((s) => `${s.policy.namespace}/${s.policy.object.ref.name}`))].join(', ');
            report(
              STRICT_MTLS_WITH_TLS_DISABLED,
              rule.object,
              `TLS is disabled for ${service.fqdn}:${port}${scope.subset ? ` (subset ${scope.subset})` : ''}, but PeerAuthentication ${by} requires STRICT mTLS on ${strict.map((s) => s.workload.name).join(', ')}: those calls will be refused`,
              scope.path,
            );
          }
        }
      }
    }
  },
};

/** The TLS mode a client uses for a port: the first policy that sets one (port level first, then the whole host). */
function tlsModeOf(policies: readonly TrafficPolicyModel[], port: number): string | undefined {
  for (const policy of policies) {
    const mode = policy.portTlsModes.get(port) ?? policy.tlsMode;
    if (mode) return mode;
  }
  return undefined;
}

function servicesOf(mesh: Mesh, rule: DestinationRuleModel): ServiceModel[] {
  if (rule.host.startsWith('*')) return [...mesh.services.values()].filter((s) => hostsOverlap(rule.host, s.fqdn));
  const target = mesh.resolveHost(rule.host, rule.namespace, rule.exportTo);
  return target?.kind === 'Service' ? [target.service] : [];
}

/** PeerAuthentications by scope: per workload (selector), per namespace, and the mesh's. */
class PeerIndex {
  private readonly byWorkload = new Map<PodModel, PeerAuthenticationModel>();
  private readonly byNamespace = new Map<string, PeerAuthenticationModel>();
  private readonly meshWide?: PeerAuthenticationModel;

  constructor(mesh: Mesh) {
    let meshWide: PeerAuthenticationModel | undefined;
    for (const policy of mesh.peerAuthentications) {
      if (policy.selector && Object.keys(policy.selector).length > 0) {
        for (const w of mesh.selectWorkloads(policy.namespace, policy.selector))
          if (!this.byWorkload.has(w)) this.byWorkload.set(w, policy);
      } else if (policy.namespace === mesh.rootNamespace) {
        meshWide ??= policy;
      } else if (!this.byNamespace.has(policy.namespace)) {
        this.byNamespace.set(policy.namespace, policy);
      }
    }
    this.meshWide = meshWide;
  }

  /** The mTLS mode in force on a workload port, and the PeerAuthentication that decided it. */
  modeOf(workload: PodModel, port: number): { mode: string; policy: PeerAuthenticationModel } | undefined {
    const own = this.byWorkload.get(workload);
    const levels = [
      own && { policy: own, mode: own.portModes.get(port) },
      own && { policy: own, mode: own.mode },
      ...[this.byNamespace.get(workload.namespace), this.meshWide].map(
        (policy) => policy && { policy, mode: policy.mode },
      ),
    ];
    for (const level of levels) {
      if (level?.mode && level.mode !== 'UNSET') return { mode: level.mode, policy: level.policy };
    }
    return undefined;
  }
}
