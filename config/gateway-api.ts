import { istioMinor } from './istio-releases';

/**
 * The Kubernetes Gateway API as Istio reads it: which release of its CRDs each Istio minor needs, and the names Istio
 * gives what it deploys for a Gateway.
 */

/** How requests from outside reach the mesh: Istio's own Gateway and VirtualService, or the Kubernetes Gateway API. */
export const INGRESS_MODES = ['istio', 'gateway-api'] as const;
export type IngressMode = (typeof INGRESS_MODES)[number];

/**
 * The Gateway API release (standard channel) whose CRDs each Istio minor requires: Istio 1.30 reads v1.5 (older CRDs
 * silently drop TLSRoute and ReferenceGrant, and `istioctl analyze` reports IST0176).
 * Source: Istio 1.30's release notes and pkg/config/schema/gatewayapi (minimum bundle versions).
 */
export const GATEWAY_API_RELEASES: Readonly<Record<string, string>> = { '1.30': 'v1.5.1' };

/**
 * The Gateway API release an Istio version needs.
 * @throws Error naming the Istio release and the minors whose Gateway API release is known
 */
export function gatewayApiRelease(istioVersion: string): string {
  const release = GATEWAY_API_RELEASES[istioMinor(istioVersion)];
  if (!release) {
    throw new Error(
      `no Gateway API release is known for Istio ${istioVersion}: the CRDs this project installs are known for Istio ` +
        `${Object.keys(GATEWAY_API_RELEASES).join(', ')} (GATEWAY_API_RELEASES in config/gateway-api.ts)`,
    );
  }
  return release;
}

/**
 * Where the project keeps its copy of a Gateway API release's standard CRDs, relative to the project root: a Helm
 * chart (Chart.yaml and the CRDs as its one template) that the mesh stack installs, that `npm run import` reads for
 * imports/ and `npm run schemas` for validation. `npm run schemas` writes it from ../shared/reference.
 */
export function gatewayApiChartDir(release: string): string {
  return `schemas/gateway-api-${release}`;
}

/** The label Istio puts on the pods, Service and Deployment it runs for a Gateway: the Gateway's name. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

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
