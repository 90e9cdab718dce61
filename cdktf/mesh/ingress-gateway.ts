import type { Release } from '@cdktf/provider-helm/lib/release';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { IngressGatewayProfile } from '../../config';
import { GKE_PLATFORM } from './gke-platform-profile';
import { istioRelease } from './istio-release';

export interface IngressGatewayProps {
  /** Istio release (and chart version). */
  readonly version: string;
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
 * The ingress gateway from Istio's `gateway` chart, on a LoadBalancer Service with the reserved static address. The
 * release is named after the gateway, because the chart derives the Deployment's name and its `app` and `istio`
 * labels from it.
 */
export class IngressGateway extends Construct {
  public readonly release: Release;

  constructor(scope: Construct, id: string, props: IngressGatewayProps) {
    super(scope, id);
    const { gateway } = props;
    this.release = istioRelease(this, 'Release', {
      name: gateway.name,
      chart: 'gateway',
      version: props.version,
      namespace: gateway.namespace,
      values: {
        global: { platform: GKE_PLATFORM },
        ...(props.revision ? { revision: props.revision } : {}),
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
