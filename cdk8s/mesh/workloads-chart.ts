import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ServiceRecord } from '../../config/services';
import { INGRESS_USE_WAYPOINT_LABEL, USE_WAYPOINT_LABEL } from '../../kube/ambient';
import { MeshService } from './mesh-service';
import { Waypoint } from './waypoint';

/** A service's waypoint, on the ambient data plane. */
export interface ServiceWaypoint {
  /** The service whose traffic the waypoint handles. */
  readonly service: string;
  /** The waypoint's (Gateway's) name. */
  readonly name: string;
  /** Send the ingress gateway's traffic to the service through the waypoint as well. */
  readonly ingress: boolean;
}

export interface WorkloadsChartProps extends ChartProps {
  /** The namespace every object is written into. */
  readonly namespace: string;
  /** The services that run, in the order their objects are written (the catalogue's). */
  readonly services: readonly ServiceRecord[];
  /**
   * Ambient data plane: the waypoints to run, each labelled onto its Service (`istio.io/use-waypoint`).
   * @default - none
   */
  readonly waypoints?: readonly ServiceWaypoint[];
  /**
   * The control plane revision that deploys the waypoints.
   * @default - the default revision
   */
  readonly revision?: string;
}

/**
 * The workloads of the mesh: a MeshService (Service, ServiceAccounts, hardened Deployments) for every service of the
 * catalogue. Bookinfo's records reproduce upstream's samples/bookinfo/platform/kube manifests; a team's own come from
 * the environment's `services`. On the ambient data plane, the waypoints come first, so that no Service names a
 * waypoint that does not exist.
 */
export class WorkloadsChart extends Chart {
  /** The services, by name, for the charts that route and authorize them. */
  public readonly services: ReadonlyMap<string, MeshService>;
  /** The waypoints, by the name of the service each serves. */
  public readonly waypoints: ReadonlyMap<string, Waypoint>;

  constructor(scope: Construct, id: string, props: WorkloadsChartProps) {
    super(scope, id, props);
    const waypoints = props.waypoints ?? [];
    const unknown = waypoints.find((w) => !props.services.some((s) => s.name === w.service));
    if (unknown) {
      throw new Error(
        `WorkloadsChart "${id}": waypoint ${unknown.name} is for service "${unknown.service}", which is not one of ` +
          props.services.map((s) => s.name).join(', '),
      );
    }
    this.waypoints = new Map(
      waypoints.map((w) => [w.service, new Waypoint(this, w.name, { name: w.name, revision: props.revision })]),
    );
    const waypointLabels = (service: string): Record<string, string> => {
      const waypoint = waypoints.find((w) => w.service === service);
      if (!waypoint) return {};
      return {
        [USE_WAYPOINT_LABEL]: waypoint.name,
        ...(waypoint.ingress ? { [INGRESS_USE_WAYPOINT_LABEL]: 'true' } : {}),
      };
    };
    this.services = new Map(
      props.services.map((record) => [
        record.name,
        new MeshService(this, record.name, {
          ports: record.ports,
          labels: record.labels,
          annotations: record.annotations,
          versions: record.versions,
          serviceLabels: waypointLabels(record.name),
        }),
      ]),
    );
  }
}
