import type { Check } from '../check';
import { messageType, type MessageType } from '../finding';
import { toFqdn } from '../hosts';
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
      const scopes = vs.exportTo.length === 0 || vs.exportTo.includes('*')
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
    for (const { host, services } of claims.values()) {
      if (services.length < 2) continue;
      const names = services.map((vs) => `${vs.namespace}/${vs.object.ref.name}`).join(',');
      for (const vs of services) {
        report(CONFLICTING_MESH_GATEWAY_HOSTS, vs.object,
          `The VirtualServices ${names} associated with mesh gateway define the same host ${host} which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.`,
        );
      }
    }
  },
};
