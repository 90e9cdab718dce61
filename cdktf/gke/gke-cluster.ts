import { ContainerCluster, type ContainerClusterConfig } from '@cdktf/provider-google/lib/container-cluster';
import { ContainerNodePool, type ContainerNodePoolNodeConfig } from '@cdktf/provider-google/lib/container-node-pool';
import type { GoogleContainerCluster } from '@cdktf/provider-google-beta/lib/google-container-cluster';
import type { GoogleBetaProvider } from '@cdktf/provider-google-beta/lib/provider';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { AuthorizedNetwork } from '../../config';
import type { ClusterNetwork } from './cluster-network';
import type { RecurringWindow } from './maintenance-window';

export interface GkeClusterProps {
  /** GKE cluster name. */
  readonly name: string;
  /** Zone (zonal cluster) or region (regional cluster). */
  readonly location: string;
  /** The GCP project; names the Workload Identity pool. */
  readonly projectId: string;
  /** Nodes in the node pool (per zone for a regional cluster). */
  readonly nodeCount: number;
  /** Compute Engine machine type of the nodes. */
  readonly machineType: string;
  /** Boot disk size of each node, in GB. */
  readonly diskSizeGb: number;
  /** GKE release channel: RAPID, REGULAR or STABLE. */
  readonly releaseChannel: string;
  /** The VPC and subnet the cluster runs in. */
  readonly network: ClusterNetwork;
  /** The /28 of the control plane's private endpoint. */
  readonly controlPlaneCidr: string;
  /** Networks allowed to reach the public endpoint. */
  readonly masterAuthorizedNetworks: readonly AuthorizedNetwork[];
  /** Serve the control plane on its private endpoint only. */
  readonly privateEndpoint: boolean;
  /**
   * Google Group for RBAC (`gke-security-groups@<domain>`).
   * @default - Google Groups for RBAC off
   */
  readonly rbacSecurityGroup?: string;
  /** Labels of the cluster and its nodes. */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Cloud Service Mesh's `mesh_id` cluster label (`proj-<project number>`), which joins the cluster to the mesh.
   * @default - no mesh_id label
   */
  readonly meshId?: string;
  /** Refuse to destroy the cluster. */
  readonly deletionProtection: boolean;
  /** When GKE may upgrade and repair the control plane and nodes. */
  readonly maintenanceWindow: RecurringWindow;
  /** Email of the nodes' service account. */
  readonly nodeServiceAccount: string;
  /** Network tag of the nodes, which firewall rules target. */
  readonly nodeTag: string;
  /**
   * Turn on the GKE Istio add-on (`addons_config.istio_config`, google-beta only) with this auth mode. GKE no longer
   * accepts it; it is here so that the tutorial stays expressible.
   * @default - no add-on
   */
  readonly istioAddon?: { readonly auth: 'AUTH_MUTUAL_TLS' | 'AUTH_NONE'; readonly provider: GoogleBetaProvider };
  /** Resources that must exist first (the APIs). */
  readonly dependsOn?: ITerraformDependable[];
}

/** What other stacks and outputs need from the cluster, whichever provider created it. */
export interface ClusterAttributes {
  readonly id: string;
  readonly name: string;
  readonly location: string;
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA. */
  readonly caCertificate: string;
}

/**
 * A hardened GKE Standard cluster with one separately managed node pool.
 *
 * Private nodes on a VPC-native subnet, Dataplane V2 (NetworkPolicy enforcement), Workload Identity with the GKE
 * metadata server, shielded COS nodes with secure boot and integrity monitoring, a least-privilege node service
 * account, no legacy ABAC, no client certificates, Binary Authorization, Cloud Logging and Monitoring, intranode
 * visibility and deletion protection. Each maps to a Checkov or Trivy check (see cdktf/policy/).
 */
export class GkeCluster extends Construct {
  public readonly attributes: ClusterAttributes;
  public readonly nodePool: ContainerNodePool;

  constructor(scope: Construct, id: string, props: GkeClusterProps) {
    super(scope, id);
    const nodeConfig = hardenedNodeConfig(props);
    const config: ContainerClusterConfig = {
      name: props.name,
      location: props.location,
      deletionProtection: props.deletionProtection,
      resourceLabels: props.meshId ? { ...props.labels, mesh_id: props.meshId } : { ...props.labels },
      releaseChannel: { channel: props.releaseChannel },
      maintenancePolicy: { recurringWindow: { ...props.maintenanceWindow } },
      // The default pool cannot be hardened in place or removed without recreating the cluster: create the smallest
      // one (with the same node settings, as it runs briefly) and delete it; nodes live in the pool below.
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      nodeConfig,
      lifecycle: { ignoreChanges: ['node_config'] },
      network: props.network.network.id,
      subnetwork: props.network.subnetwork.id,
      networkingMode: 'VPC_NATIVE',
      ipAllocationPolicy: {
        clusterSecondaryRangeName: props.network.podsRangeName,
        servicesSecondaryRangeName: props.network.servicesRangeName,
      },
      // Dataplane V2 enforces NetworkPolicy itself; the Calico `network_policy` block must stay off with it.
      datapathProvider: 'ADVANCED_DATAPATH',
      enableIntranodeVisibility: true,
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: props.privateEndpoint,
        masterIpv4CidrBlock: props.controlPlaneCidr,
      },
      masterAuthorizedNetworksConfig: {
        gcpPublicCidrsAccessEnabled: false,
        cidrBlocks: props.masterAuthorizedNetworks.map((n) => ({ cidrBlock: n.cidrBlock, displayName: n.displayName })),
      },
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      enableLegacyAbac: false,
      enableShieldedNodes: true,
      workloadIdentityConfig: { workloadPool: `${props.projectId}.svc.id.goog` },
      binaryAuthorization: { evaluationMode: 'PROJECT_SINGLETON_POLICY_ENFORCE' },
      loggingService: 'logging.googleapis.com/kubernetes',
      monitoringService: 'monitoring.googleapis.com/kubernetes',
      authenticatorGroupsConfig: props.rbacSecurityGroup ? { securityGroup: props.rbacSecurityGroup } : undefined,
      dependsOn: props.dependsOn,
    };
    this.attributes = props.istioAddon ? betaCluster(this, config, props.istioAddon) : gaCluster(this, config);
    this.nodePool = new ContainerNodePool(this, 'NodePool', {
      name: 'primary',
      cluster: this.attributes.id,
      location: props.location,
      nodeCount: props.nodeCount,
      management: { autoRepair: true, autoUpgrade: true },
      upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
      nodeConfig,
    });
  }
}

function gaCluster(scope: Construct, config: ContainerClusterConfig): ClusterAttributes {
  return attributesOf(new ContainerCluster(scope, 'Cluster', config));
}

/** The same cluster through google-beta, the only provider that still knows `addons_config.istio_config`. */
function betaCluster(
  scope: Construct,
  config: ContainerClusterConfig,
  addon: NonNullable<GkeClusterProps['istioAddon']>,
): ClusterAttributes {
  // Loaded only for environments that use the add-on: the module is large.
  const { GoogleContainerCluster } =
    require('@cdktf/provider-google-beta/lib/google-container-cluster') as typeof import('@cdktf/provider-google-beta/lib/google-container-cluster');
  return attributesOf(
    new GoogleContainerCluster(scope, 'Cluster', {
      ...config,
      provider: addon.provider,
      addonsConfig: { istioConfig: { disabled: false, auth: addon.auth } },
    }),
  );
}

function attributesOf(cluster: ContainerCluster | GoogleContainerCluster): ClusterAttributes {
  return {
    id: cluster.id,
    name: cluster.name,
    location: cluster.location,
    endpoint: cluster.endpoint,
    caCertificate: cluster.masterAuth.clusterCaCertificate,
  };
}

/** Node settings shared by the (short-lived) default pool and the node pool. */
function hardenedNodeConfig(props: GkeClusterProps): ContainerNodePoolNodeConfig {
  return {
    machineType: props.machineType,
    imageType: 'COS_CONTAINERD',
    diskSizeGb: props.diskSizeGb,
    diskType: 'pd-balanced',
    serviceAccount: props.nodeServiceAccount,
    // Access is governed by the service account's IAM roles, as Google recommends; scopes no longer narrow it.
    oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
    workloadMetadataConfig: { mode: 'GKE_METADATA' },
    shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    metadata: { 'disable-legacy-endpoints': 'true' },
    resourceLabels: { ...props.labels },
    tags: [props.nodeTag],
  };
}
