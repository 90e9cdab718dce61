import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { LocalBackend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { regionOf, type Environment } from '../config';
import { GkeCluster } from './gke/gke-cluster';
import { localStatePath } from './state';

export interface GkeStackProps {
  /** The environment whose cluster this stack creates. */
  readonly env: Environment;
}

/** The `<env>-gke` stack: the GKE cluster that the mesh runs on. */
export class GkeStack extends TerraformStack {
  public readonly cluster: GkeCluster;

  constructor(scope: Construct, id: string, props: GkeStackProps) {
    super(scope, id);
    const { env } = props;
    new LocalBackend(this, { path: localStatePath(id) });
    new GoogleProvider(this, 'google', { project: env.projectId, region: regionOf(env.cluster.location) });
    this.cluster = new GkeCluster(this, 'gke', {
      name: env.cluster.name,
      location: env.cluster.location,
      nodeCount: env.cluster.nodeCount,
      machineType: env.cluster.machineType,
      releaseChannel: env.cluster.releaseChannel,
    });
  }
}
