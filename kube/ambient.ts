import { GATEWAY_API_GROUP } from './gateway-api';
import { apiGroupOf, rec, type Manifest } from './object';

/** The labels and names of Istio's ambient data plane, as istiod, ztunnel and the CNI node agent read them. */

/** On a namespace (or pod): `ambient` puts its pods in the ambient mesh, `none` keeps a pod out. */
export const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';
/** On a Service (or namespace, pod): the waypoint (a Gateway's name) that its traffic goes through. */
export const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';
/** On a Service with a waypoint: `"true"` sends ingress gateways' traffic through the waypoint too. */
export const INGRESS_USE_WAYPOINT_LABEL = 'istio.io/ingress-use-waypoint';
/** On a waypoint's Gateway: which traffic it handles (`service`, `workload`, `all` or `none`). */
export const WAYPOINT_FOR_LABEL = 'istio.io/waypoint-for';
/** The GatewayClass of istiod's waypoints. */
export const WAYPOINT_GATEWAY_CLASS = 'istio-waypoint';
/** The HBONE port a waypoint listens on. */
export const HBONE_PORT = 15008;

/** Whether an object is a waypoint: a Gateway API Gateway of istiod's waypoint class. */
export function isWaypoint(manifest: Manifest): boolean {
  return (
    manifest.kind === 'Gateway' &&
    apiGroupOf(manifest.apiVersion) === GATEWAY_API_GROUP &&
    rec(manifest.spec).gatewayClassName === WAYPOINT_GATEWAY_CLASS
  );
}
