import type { Release } from '@cdktf/provider-helm/lib/release';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { IngressGatewayProfile } from '../../config';
import { GKE_PLATFORM } from './gke-platform-profile';
import { HA_REPLICAS, spreadAcrossNodes } from './high-availability';
import { istioRelease } from './istio-release';

export interface IngressGatewayProps {
  /** Istio release (and chart version, and image tag). */
  readonly version: string;
  /** Registry path of the gateway's image (`global.hub`). */
  readonly hub: string;
  /** The Helm repository of Istio's charts. */
  readonly chartRepository: string;
  /** Name, namespace and Service ports of the gateway, as the Kubernetes side addresses it. */
  readonly gateway: IngressGatewayProfile;
  /**
   * The control plane revision whose injector sets the gateway up (`istio.io/rev`).
   * @default - the default revision
   */
  readonly revision?: string;
  /** The reserved address the gateway's load balancer takes. */
  readonly loadBalancerIp: string;
  /** The control plane, which must be serving before the gateway's pods can be injected. */
  readonly dependsOn: ITerraformDependable[];
}

/**
 * The ingress gateway from Istio's `gateway` chart, on a LoadBalancer Service with the reserved static address, in the
 * gateway's own namespace. The release is named after the gateway, because the chart derives the Deployment's name
 * and its `app` and `istio` labels from it. Highly available: two replicas at least (the autoscaler's floor), a
 * PodDisruptionBudget and spread across nodes.
 */
export class IngressGateway extends Construct {
  public readonly release: Release;

  constructor(scope: Construct, id: string, props: IngressGatewayProps) {
    super(scope, id);
    const { gateway } = props;
    this.release = istioRelease(this, 'Release', {
      repository: props.chartRepository,
      hub: props.hub,
      name: gateway.name,
      chart: 'gateway',
      version: props.version,
      namespace: gateway.namespace,
      values: {
        global: { platform: GKE_PLATFORM },
        ...(props.revision ? { revision: props.revision } : {}),
        replicaCount: HA_REPLICAS,
        autoscaling: { minReplicas: HA_REPLICAS },
        // The chart creates a PodDisruptionBudget only when this is set (and there is more than one replica).
        podDisruptionBudget: { minAvailable: 1 },
        topologySpreadConstraints: spreadAcrossNodes(gateway.labels),
        service: {
          type: 'LoadBalancer',
          ports: gateway.ports.map((p) => ({ name: p.name, port: p.port, protocol: 'TCP', targetPort: p.targetPort })),
        },
      },
      set: [{ name: 'service.loadBalancerIP', value: props.loadBalancerIp }],
      dependsOn: props.dependsOn,
    });
  }
}
