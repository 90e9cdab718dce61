import { CATALOGUE } from './messages';
import type { Manifest } from '../kube/object';
import type { Check } from './check';
import { applicationUid } from './checks/application-uid';
import { ambient } from './checks/ambient';
import { callGraphAuthorization } from './checks/call-graph-authorization';
import { conflictingGateways } from './checks/conflicting-gateways';
import { destinationRuleHosts } from './checks/destination-rule-hosts';
import { gatewayHosts } from './checks/gateway-hosts';
import { gatewayPorts } from './checks/gateway-ports';
import { injection } from './checks/injection';
import { meshGatewayHosts } from './checks/mesh-gateway-hosts';
import { mtlsConflict } from './checks/mtls-conflict';
import { portNames } from './checks/port-names';
import { principals } from './checks/principals';
import { routeWeights } from './checks/route-weights';
import { schemaValidation } from './checks/schema-validation';
import { istioValidation } from './checks/istio-validation';
import { selectorOverlaps } from './checks/selector-overlaps';
import { deprecations } from './checks/deprecations';
import { webhookOverlaps } from './checks/webhook-overlaps';
import { externalControlPlane } from './checks/external-control-plane';
import { annotations } from './checks/annotations';
import { jwtClaimRoutes } from './checks/jwt-claim-routes';
import { ingressSubsets } from './checks/ingress-subsets';
import { gatewayApi } from './checks/gateway-api';
import { gatewayApiRoutes } from './checks/gateway-api-routes';
import { jwksFetch } from './checks/jwks-fetch';
import { gatewayCredentials } from './checks/gateway-credentials';
import { deploymentServices } from './checks/deployment-services';
import { proxyImages } from './checks/proxy-images';
import { gatewayCertificates } from './checks/gateway-certificates';
import { negativeConditions } from './checks/negative-conditions';
import { destinationRuleCaCertificates } from './checks/destination-rule-ca-certificates';
import { serviceEntryAddresses } from './checks/service-entry-addresses';
import { envoyFilterPatches } from './checks/envoy-filter-patches';
import { telemetryProviders } from './checks/telemetry-providers';
import { unreachableRules } from './checks/unreachable-rules';
import { virtualServiceReferences } from './checks/virtual-service-references';
import { authorizationNamespaces, workloadSelectors } from './checks/workload-selectors';
import type { Finding, MessageType } from './finding';
import { Mesh } from './mesh';
import type { MeshContext } from './mesh-context';

/** Every check, schema validation first. */
export const CHECKS: readonly Check[] = [
  schemaValidation,
  istioValidation,
  virtualServiceReferences,
  gatewayApiRoutes,
  gatewayHosts,
  meshGatewayHosts,
  unreachableRules,
  routeWeights,
  destinationRuleHosts,
  gatewayPorts,
  conflictingGateways,
  portNames,
  injection,
  applicationUid,
  workloadSelectors,
  authorizationNamespaces,
  principals,
  callGraphAuthorization,
  ambient,
  mtlsConflict,
  selectorOverlaps,
  deprecations,
  telemetryProviders,
  envoyFilterPatches,
  destinationRuleCaCertificates,
  serviceEntryAddresses,
  gatewayCertificates,
  negativeConditions,
  proxyImages,
  deploymentServices,
  gatewayCredentials,
  gatewayApi,
  jwksFetch,
  ingressSubsets,
  jwtClaimRoutes,
  annotations,
  externalControlPlane,
  webhookOverlaps,
];

/** Every message the checks report, by code. */
export const MESSAGES: ReadonlyMap<string, MessageType> = new Map(
  CHECKS.flatMap((check) => check.messages)
    .sort((a, b) => (a.code < b.code ? -1 : 1))
    .map((m) => [m.code, m]),
);

/**
 * Validates manifests against their schemas and analyzes them as a mesh, offline: what `istioctl analyze` would say
 * about them (with its codes and levels), plus this project's own checks (HI codes).
 *
 * @param manifests plain objects, as synthesized or as read from YAML
 * @param context what is known beyond the manifests (injection mode, the control plane's gateways, the call graph)
 * @returns findings in input order (per object, in check order)
 */
export function analyzeManifests(manifests: readonly Manifest[], context: MeshContext = {}): Finding[] {
  return analyzeIndexed(manifests, context).map((f) => f.finding);
}

/** A finding with the position of its object in the input. */
export interface IndexedFinding {
  readonly index: number;
  readonly finding: Finding;
}

/** analyzeManifests, each finding with its object's position in the input (to name its file and line). */
export function analyzeIndexed(manifests: readonly Manifest[], context: MeshContext = {}): IndexedFinding[] {
  const mesh = new Mesh(manifests, context);
  const found: IndexedFinding[] = [];
  // istioctl reports a message once per object and text (diag.Messages.SortedDedupedCopy)
  const seen = new Set<string>();
  for (const check of CHECKS) {
    check.run(mesh, (type, object, message, path) => {
      if (context.istioMinor !== undefined && !catalogued(type.code, context.istioMinor)) return;
      const key = `${type.code}\u0000${object.index}\u0000${message}`;
      if (seen.has(key)) return;
      seen.add(key);
      found.push({
        index: object.index,
        finding: {
          code: type.code,
          level: type.level,
          object: object.ref,
          message,
          ...(path && path.length > 0 ? { path } : {}),
        },
      });
    });
  }
  return found.sort((a, b) => a.index - b.index);
}

/** Whether the istioctl of a minor has the message (the catalogue's `releases`). */
function catalogued(code: string, minor: string): boolean {
  return CATALOGUE.find((m) => m.code === code)?.releases.includes(minor) ?? true;
}
