import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { ComputeRouter } from '@cdktf/provider-google/lib/compute-router';
import { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { ClusterNetwork as ClusterRanges } from '../../config';

export interface ClusterNetworkProps {
  /** Prefix of every resource name (the cluster name). */
  readonly name: string;
  /** Region of the subnet, router and NAT. */
  readonly region: string;
  /** Address ranges of nodes, Pods, Services and the control plane. */
  readonly ranges: ClusterRanges;
  /**
   * Ports on the nodes that the control plane must reach besides those GKE opens itself (443 and 10250), such as
   * istiod's webhook port 15017. Private clusters need a firewall rule for them.
   * @default - none: no extra firewall rule
   */
  readonly webhookPorts?: readonly number[];
  /** Network tag of the nodes, which the webhook firewall rule targets. */
  readonly nodeTag: string;
  /** Resources that must exist first (the Compute API). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A VPC of the cluster's own: one subnet with secondary ranges for Pods and Services (VPC-native networking), flow
 * logs and Private Google Access, Cloud NAT so that private nodes can pull public images (docker.io/istio)
 * without public addresses, and an explicit, logged deny of all other ingress.
 */
export class ClusterNetwork extends Construct {
  public readonly network: ComputeNetwork;
  public readonly subnetwork: ComputeSubnetwork;
  /** Names of the subnet's secondary ranges. */
  public readonly podsRangeName = 'pods';
  public readonly servicesRangeName = 'services';

  constructor(scope: Construct, id: string, props: ClusterNetworkProps) {
    super(scope, id);
    const { name, region, ranges } = props;
    this.network = new ComputeNetwork(this, 'Network', {
      name,
      autoCreateSubnetworks: false,
      routingMode: 'REGIONAL',
      dependsOn: props.dependsOn,
    });
    this.subnetwork = new ComputeSubnetwork(this, 'Subnetwork', {
      name: `${name}-nodes`,
      region,
      network: this.network.id,
      ipCidrRange: ranges.nodes,
      privateIpGoogleAccess: true,
      secondaryIpRange: [
        { rangeName: this.podsRangeName, ipCidrRange: ranges.pods },
        { rangeName: this.servicesRangeName, ipCidrRange: ranges.services },
      ],
      logConfig: { aggregationInterval: 'INTERVAL_5_SEC', flowSampling: 0.5, metadata: 'INCLUDE_ALL_METADATA' },
    });
    const router = new ComputeRouter(this, 'Router', { name: `${name}-router`, region, network: this.network.id });
    new ComputeRouterNat(this, 'Nat', {
      name: `${name}-nat`,
      region,
      router: router.name,
      natIpAllocateOption: 'AUTO_ONLY',
      sourceSubnetworkIpRangesToNat: 'LIST_OF_SUBNETWORKS',
      subnetwork: [{ name: this.subnetwork.id, sourceIpRangesToNat: ['ALL_IP_RANGES'] }],
      logConfig: { enable: true, filter: 'ERRORS_ONLY' },
    });
    // A VPC denies ingress implicitly; the explicit rule, at the lowest priority, logs what it refuses and states
    // the default in the plan a reviewer reads. Rules GKE and the webhooks need are of higher priority.
    new ComputeFirewall(this, 'DenyIngress', {
      name: `${name}-deny-ingress`,
      description: 'Deny, and log, all ingress that no rule of higher priority allows.',
      network: this.network.id,
      direction: 'INGRESS',
      priority: 65534,
      sourceRanges: ['0.0.0.0/0'],
      deny: [{ protocol: 'all' }],
      logConfig: { metadata: 'INCLUDE_ALL_METADATA' },
    });
    if (props.webhookPorts && props.webhookPorts.length > 0) {
      new ComputeFirewall(this, 'ControlPlaneToWebhooks', {
        name: `${name}-control-plane-webhooks`,
        description: 'The GKE control plane calls admission webhooks on the nodes (istiod injection and validation).',
        network: this.network.id,
        direction: 'INGRESS',
        sourceRanges: [ranges.controlPlane],
        targetTags: [props.nodeTag],
        allow: [{ protocol: 'tcp', ports: props.webhookPorts.map(String) }],
        logConfig: { metadata: 'INCLUDE_ALL_METADATA' },
      });
    }
  }
}
