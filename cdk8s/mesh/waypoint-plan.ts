import { INGRESS_GATEWAY_CALLER, serviceCatalogue, type Environment } from '../../config';
import { CallGraph } from '../security/call-graph';
import { serviceTraffic } from '../networking/service-traffic';

/** A waypoint an ambient environment runs for one service, and why the service needs one. */
export interface PlannedWaypoint {
  /** The service whose traffic goes through it. */
  readonly service: string;
  /** The waypoint's (Gateway's) name. */
  readonly name: string;
  /** What about the service needs L7 (an HTTP proxy), as a reviewer reads it. */
  readonly reasons: readonly string[];
  /** Whether the ingress gateway calls the service, so that its traffic must go through the waypoint too. */
  readonly ingress: boolean;
}

/** The name of a service's waypoint. */
export const waypointName = (service: string) => `${service}-waypoint`;

/**
 * The waypoints of an environment on the ambient data plane: one for each HTTP service whose authorization (an edge
 * with methods or paths), routes or traffic policy need L7, which ztunnel (L4 only) cannot enforce. None on the
 * sidecar data plane, where every pod's own proxy does L7.
 */
export function waypointPlan(env: Environment): PlannedWaypoint[] {
  if (env.mesh.dataplane !== 'ambient') return [];
  const catalogue = serviceCatalogue(env);
  const graph = new CallGraph(env.callGraph, catalogue);
  return catalogue.httpServices.flatMap((service): PlannedWaypoint[] => {
    const callers = graph.callersOf(service.name);
    const { routes, policy } = serviceTraffic(env.traffic, service.name);
    const reasons = [
      ...(env.security.authorization === 'call-graph'
        ? callers
            .filter((edge) => edge.methods || edge.paths)
            .map((edge) => `authorization of ${CallGraph.describe(edge)} by method or path`)
        : []),
      ...(routes ? ['routes'] : []),
      ...(Object.keys(policy).length > 0 ? [`traffic policy (${Object.keys(policy).join(', ')})`] : []),
    ];
    if (reasons.length === 0) return [];
    const ingress = callers.some((edge) => edge.from === INGRESS_GATEWAY_CALLER);
    return [{ service: service.name, name: waypointName(service.name), reasons, ingress }];
  });
}
