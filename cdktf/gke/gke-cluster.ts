import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { Construct } from 'constructs';

export interface GkeClusterProps {
  /** GKE cluster name. */
  readonly name: string;
  /** Zone or region of the cluster. */
  readonly location: string;
  /** Number of nodes (per zone for a regional cluster). */
  readonly nodeCount: number;
  /** Compute Engine machine type of the nodes. */
  readonly machineType: string;
  /** GKE release channel: RAPID, REGULAR or STABLE. */
  readonly releaseChannel: string;
}

/** A GKE cluster for the mesh. */
export class GkeCluster extends Construct {
  public readonly cluster: ContainerCluster;

  constructor(scope: Construct, id: string, props: GkeClusterProps) {
    super(scope, id);
    this.cluster = new ContainerCluster(this, 'Cluster', {
      name: props.name,
      location: props.location,
      initialNodeCount: props.nodeCount,
      nodeConfig: { machineType: props.machineType },
      releaseChannel: { channel: props.releaseChannel },
      deletionProtection: true,
    });
  }
}
