import { istioRelease } from './istio-releases';

/**
 * The Kubernetes Gateway API as Istio reads it: which release of its CRDs each Istio minor needs, and the names Istio
 * gives what it deploys for a Gateway.
 */

/** How requests from outside reach the mesh: Istio's own Gateway and VirtualService, or the Kubernetes Gateway API. */
export const INGRESS_MODES = ['istio', 'gateway-api'] as const;
export type IngressMode = (typeof INGRESS_MODES)[number];

/**
 * The Gateway API releases whose standard CRDs the project carries (schemas/gateway-api-<release>, written by
 * `npm run schemas`): the mesh stack installs them, validation and imports/ read them. Which release an Istio minor
 * requires is its `gatewayApi` in ISTIO_RELEASES (config/istio-releases.ts).
 */
export const CARRIED_GATEWAY_API_RELEASES: readonly string[] = ['v1.5.1'];

/** Why the project cannot install the Gateway API CRDs an Istio version needs, if it cannot. */
export function uncarriedGatewayApi(istioVersion: string): string | undefined {
  const release = istioRelease(istioVersion)?.gatewayApi;
  if (release && CARRIED_GATEWAY_API_RELEASES.includes(release)) return undefined;
  return (
    `Istio ${istioVersion} requires the Gateway API CRDs ${release ?? '(unknown)'}, which this project does not ` +
    `carry: it carries ${CARRIED_GATEWAY_API_RELEASES.join(', ')} (CARRIED_GATEWAY_API_RELEASES in ` +
    'config/gateway-api.ts)'
  );
}

/**
 * The Gateway API release an Istio version needs, when the project carries its CRDs.
 * @throws Error saying uncarriedGatewayApi's reason
 */
export function gatewayApiRelease(istioVersion: string): string {
  const problem = uncarriedGatewayApi(istioVersion);
  if (problem) throw new Error(problem);
  return istioRelease(istioVersion)!.gatewayApi;
}

/**
 * Where the project keeps its copy of a Gateway API release's standard CRDs, relative to the project root: a Helm
 * chart (Chart.yaml and the CRDs as its one template) that the mesh stack installs, that `npm run import` reads for
 * imports/ and `npm run schemas` for validation. `npm run schemas` writes it from ../shared/reference.
 */
export function gatewayApiChartDir(release: string): string {
  return `schemas/gateway-api-${release}`;
}

/** The GatewayClass of Istio's ingress gateways (istiod deploys one for each Gateway of this class). */
export const ISTIO_GATEWAY_CLASS = 'istio';

/**
 * The name Istio gives the Deployment, Service and ServiceAccount it runs for a Gateway of class `istio`, in the
 * Gateway's namespace (`<gateway>-<class>`; pilot/pkg/config/kube/gateway deploymentcontroller).
 */
export function istioDeployedGatewayName(gateway: string, gatewayClass: string = ISTIO_GATEWAY_CLASS): string {
  return `${gateway}-${gatewayClass}`;
}

/** The tutorial's Gateway (bookinfo-gateway.yaml, in either API): what routes of the ingress attach to. */
export const BOOKINFO_GATEWAY_NAME = 'bookinfo-gateway';
