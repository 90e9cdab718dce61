import { GkeHubFeature } from '@cdktf/provider-google/lib/gke-hub-feature';
import { GkeHubFeatureMembership } from '@cdktf/provider-google/lib/gke-hub-feature-membership';
import { GkeHubMembership } from '@cdktf/provider-google/lib/gke-hub-membership';
import { Construct } from 'constructs';

export interface ManagedControlPlaneProps {
  /** The cluster's resource id (`projects/<p>/locations/<l>/clusters/<name>`). */
  readonly clusterId: string;
  /** The cluster's name, which names its fleet membership. */
  readonly clusterName: string;
}

/**
 * Cloud Service Mesh with a Google-managed control plane: the cluster registered to the project's fleet, the fleet's
 * `servicemesh` feature, and the cluster's feature membership with automatic management, which provisions the
 * managed control plane (istiod), its CNI node agent and the revision workloads opt into.
 */
export class ManagedControlPlane extends Construct {
  /** Done when Google has been asked to provision the control plane; gateways depend on it. */
  public readonly featureMembership: GkeHubFeatureMembership;

  constructor(scope: Construct, id: string, props: ManagedControlPlaneProps) {
    super(scope, id);
    const membership = new GkeHubMembership(this, 'Membership', {
      membershipId: props.clusterName,
      location: 'global',
      endpoint: { gkeCluster: { resourceLink: `//container.googleapis.com/${props.clusterId}` } },
    });
    const feature = new GkeHubFeature(this, 'Feature', { name: 'servicemesh', location: 'global' });
    this.featureMembership = new GkeHubFeatureMembership(this, 'FeatureMembership', {
      location: 'global',
      feature: feature.name,
      membership: membership.membershipId,
      membershipLocation: membership.location,
      mesh: { management: 'MANAGEMENT_AUTOMATIC' },
    });
  }
}
