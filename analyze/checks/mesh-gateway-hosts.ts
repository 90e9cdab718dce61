import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';
import { hostsOverlap, toFqdn } from '../hosts';
import type { VirtualServiceModel } from '../mesh';

export const CONFLICTING_MESH_GATEWAY_HOSTS: MessageType = messageType('IST0109');

/**
 * Two VirtualServices on the `mesh` gateway (no `gateways`, or `mesh` among them) must not claim the same host in the
 * same visibility scope (istioctl's ConflictingMeshGatewayHostsAnalyzer): which one wins is undefined.
 */
export const meshGatewayHosts: Check = {
  description: 'No two VirtualServices on the mesh gateway claim the same host',
  messages: [CONFLICTING_MESH_GATEWAY_HOSTS],
  run(mesh, report) {
    const claims = new Map<string, { host: string; services: VirtualServiceModel[] }>();
    for (const vs of mesh.virtualServices) {
      if (vs.gateways.length > 0 && !vs.gateways.includes('mesh')) continue;
      const scopes =
        vs.exportTo.length === 0 || vs.exportTo.includes('*')
          ? ['*']
          : [...new Set(vs.exportTo.map((e) => (e === '.' ? vs.namespace : e)))];
      for (const scope of scopes) {
        for (const host of new Set(vs.hosts)) {
          const fqdn = toFqdn(host, vs.namespace);
          const key = `${scope}/${fqdn}`;
          const claim = claims.get(key);
          if (claim) claim.services.push(vs);
          else claims.set(key, { host: fqdn, services: [vs] });
        }
      }
    }
    // a host exported to some namespaces also conflicts with the same (or a covering) host exported to all
    const reported = new Set<VirtualServiceModel>();
    for (const [key, { host, services }] of claims) {
      const scope = key.slice(0, key.indexOf('/'));
      const all =
        scope === '*'
          ? services
          : [
              ...services,
              ...[...claims]
                .filter(([k, c]) => k.startsWith('*/') && hostsOverlap(host, c.host))
                .flatMap(([, c]) => c.services),
            ];
      if (all.length < 2) continue;
      const names = all
        .map((vs) => `${vs.namespace}/${vs.object.ref.name}`)
        .sort()
        .join(',');
      for (const vs of all) {
        if (reported.has(vs)) continue;
        reported.add(vs);
        report(
          CONFLICTING_MESH_GATEWAY_HOSTS,
          vs.object,
          formatMessage(CONFLICTING_MESH_GATEWAY_HOSTS, names, `${scope}/${host}`),
          ['metadata', 'name'],
        );
      }
    }
  },
};
