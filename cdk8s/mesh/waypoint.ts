import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Gateway } from '../../imports/gateway.networking.k8s.io';
import { HBONE_PORT, WAYPOINT_FOR_LABEL, WAYPOINT_GATEWAY_CLASS } from '../../kube/ambient';
import { REVISION_LABEL } from '../../kube/sidecar-injection';

/** What traffic a waypoint handles (its `istio.io/waypoint-for` label). */
export const WAYPOINT_TRAFFIC = ['service', 'workload', 'all', 'none'] as const;
export type WaypointTraffic = (typeof WAYPOINT_TRAFFIC)[number];

export interface WaypointProps {
  /** The Gateway's name; istiod names the waypoint's Deployment, Service and ServiceAccount after it. */
  readonly name: string;
  /**
   * Namespace of the waypoint.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Which traffic the waypoint handles: addressed to Services, to workloads, both, or none.
   * @default 'service'
   */
  readonly trafficType?: WaypointTraffic;
  /**
   * The control plane revision that deploys the waypoint (`istio.io/rev`).
   * @default - the default revision
   */
  readonly revision?: string;
  /**
   * Labels of the Gateway, beside the waypoint's own.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * An Istio waypoint: a Gateway API Gateway of class `istio-waypoint` with the one HBONE listener (`mesh`, 15008)
 * that istiod deploys an Envoy for. Services opt in with `istio.io/use-waypoint: <name>`. Its one listener is what
 * `istioctl waypoint generate` writes (no TLS, no routes: a waypoint is bound by labels, not by parentRefs), so it is
 * not a KubernetesGateway.
 */
export class Waypoint extends Construct {
  /** The Gateway's name, which `istio.io/use-waypoint` and policies' `targetRefs` name. */
  public readonly name: string;
  /** The identity the waypoint's pods run as: the ServiceAccount istiod names after the Gateway. */
  public readonly serviceAccount: string;
  public readonly gateway: Gateway;

  constructor(scope: Construct, id: string, props: WaypointProps) {
    super(scope, id);
    if (!DNS_LABEL.test(props.name) || props.name.length > 63) {
      throw new Error(`Waypoint "${id}": name = "${props.name}": must be a DNS label of up to 63 characters`);
    }
    const trafficType = props.trafficType ?? 'service';
    if (!WAYPOINT_TRAFFIC.includes(trafficType)) {
      throw new Error(
        `Waypoint "${id}": trafficType = "${trafficType}": must be one of ${WAYPOINT_TRAFFIC.join(', ')}`,
      );
    }
    this.name = props.name;
    this.serviceAccount = props.name;
    this.gateway = new Gateway(this, 'Gateway', {
      metadata: {
        name: props.name,
        namespace: props.namespace ?? Chart.of(this).namespace,
        labels: {
          ...props.labels,
          [WAYPOINT_FOR_LABEL]: trafficType,
          ...(props.revision ? { [REVISION_LABEL]: props.revision } : {}),
        },
      },
      spec: {
        gatewayClassName: WAYPOINT_GATEWAY_CLASS,
        listeners: [{ name: 'mesh', port: HBONE_PORT, protocol: 'HBONE' }],
      },
    });
  }
}
