import { labelsOf, rec } from '../../kube/object';
import type { Check } from '../check';
import { formatMessage, messageType, type MessageType } from '../finding';

export const JWT_CLAIM_ROUTING_WITHOUT_REQUEST_AUTHN: MessageType = messageType('IST0149');

const CLAIM = /^@request\.auth\.claims(\.|\[)/;

/**
 * Routing on a JWT claim (`@request.auth.claims.<name>` headers in a match) needs a RequestAuthentication for the
 * gateway's pods (in their namespace or istio-system), or the claims are never validated and made available for
 * routing (istioctl's virtualservice.JWTClaimRouteAnalyzer).
 */
export const jwtClaimRoutes: Check = {
  description: 'Routes on JWT claims have a RequestAuthentication for the gateway pods',
  messages: [JWT_CLAIM_ROUTING_WITHOUT_REQUEST_AUTHN],
  run(mesh, report) {
    const authn = mesh.index.ofKind('RequestAuthentication').map((o) => ({
      namespace: o.ref.namespace ?? '',
      selector: labelsOf(rec(rec(o.manifest.spec).selector).matchLabels),
    }));
    for (const vs of mesh.virtualServices) {
      const key = vs.http
        .flatMap((route) => route.match)
        .flatMap((m) => [...Object.keys(rec(m.headers)), ...Object.keys(rec(m.withoutHeaders))])
        .find((k) => CLAIM.test(k));
      if (!key) continue;
      for (const name of vs.gateways) {
        if (name === 'mesh') continue;
        const gateway = mesh.gatewayNamed(name, vs.namespace);
        if (!gateway) continue;
        for (const pod of mesh.selectWorkloads(undefined, gateway.selector)) {
          const covered = authn.some(
            (ra) =>
              (ra.namespace === 'istio-system' || ra.namespace === pod.namespace) &&
              Object.entries(ra.selector).every(([k, v]) => pod.labels[k] === v),
          );
          if (!covered) {
            report(
              JWT_CLAIM_ROUTING_WITHOUT_REQUEST_AUTHN,
              vs.object,
              formatMessage(
                JWT_CLAIM_ROUTING_WITHOUT_REQUEST_AUTHN,
                key,
                `${gateway.namespace}/${gateway.name}`,
                pod.name,
              ),
              ['spec', 'gateways'],
            );
          }
        }
      }
    }
  },
};
