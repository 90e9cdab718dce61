/** The names of the Kubernetes Gateway API that Istio, its analyzers and the Gateway API's own CRDs read. */

/** The Gateway API's group: of its kinds (Gateway, HTTPRoute, ...) and the suffix of its CRDs' names. */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** The label Istio puts on the pods, Service and Deployment it runs for a Gateway: the Gateway's name. */
export const GATEWAY_NAME_LABEL = `${GATEWAY_API_GROUP}/gateway-name`;

/** The annotation on each Gateway API CRD naming the release it comes from (`v1.5.1`). */
export const BUNDLE_VERSION_ANNOTATION = `${GATEWAY_API_GROUP}/bundle-version`;

/** Whether a CustomResourceDefinition's name is one of the Gateway API's (`<plural>.gateway.networking.k8s.io`). */
export function isGatewayApiCrdName(name: string): boolean {
  return name.endsWith(`.${GATEWAY_API_GROUP}`);
}
