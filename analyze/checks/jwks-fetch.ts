import { arr, rec, str } from '../../kube/object';
import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';

export const JWKS_URI_FETCH_UNRESTRICTED: MessageType = messageType('IST0175');

/**
 * With RequestAuthentications in the mesh, istiod fetches JWKS from the URIs they name; an istiod Deployment
 * (labelled `app: istiod`) among the manifests without `BLOCKED_CIDRS_IN_JWKS_URIS` would fetch from any address,
 * internal ones too (istioctl's authn.BlockedCIDRsAnalyzer).
 */
export const jwksFetch: Check = {
  description: 'istiod restricts the networks it fetches JWKS from when RequestAuthentications exist',
  messages: [JWKS_URI_FETCH_UNRESTRICTED],
  run(mesh, report) {
    const names = mesh.index.ofKind('RequestAuthentication').map((o) => `${o.ref.namespace ?? ''}/${o.ref.name}`);
    if (names.length === 0) return;
    const shown =
      names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')}, and ${names.length - 5} more`;
    for (const object of mesh.index.ofKind('Deployment')) {
      if (rec(object.manifest.metadata.labels).app !== 'istiod') continue;
      const containers = arr(rec(rec(rec(object.manifest.spec).template).spec).containers);
      const restricted = containers.some((c) =>
        arr(rec(c).env).some((e) => rec(e).name === 'BLOCKED_CIDRS_IN_JWKS_URIS' && str(rec(e).value)),
      );
      if (!restricted)
        report(JWKS_URI_FETCH_UNRESTRICTED, object, formatMessage(JWKS_URI_FETCH_UNRESTRICTED, names.length, shown));
    }
  },
};
