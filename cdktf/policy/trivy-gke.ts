import {
  block,
  blocks,
  bool,
  str,
  verdict,
  type Block,
  type PolicyCheck,
  type PolicyResource,
  type StackResources,
} from './terraform-config';

/**
 * Trivy's google-gke checks (aquasecurity/trivy-checks, checks/cloud/google/gke/*.rego), reimplemented over
 * synthesized Terraform JSON. Trivy first adapts Terraform into a cloud model (aquasecurity/trivy,
 * pkg/iac/adapters/terraform/google/gke/adapt.go): node pools join the cluster their `cluster` attribute references,
 * and a cluster with node pools takes the first pool's node_config as its own. The defaults below are the adapter's.
 */

const CLUSTER = 'google_container_cluster';
/** The logging and monitoring services Trivy requires, which are also the adapter's defaults. */
const LOGGING = 'logging.googleapis.com/kubernetes';
const MONITORING = 'monitoring.googleapis.com/kubernetes';
const TRIVY = 'aquasecurity/trivy-checks checks/cloud/google/gke/';

/** The adapter's view of a node_config block. */
interface NodeConfig {
  readonly imageType: string;
  /** workload_metadata_config mode (or node_metadata); "UNSPECIFIED" when the block is absent. */
  readonly nodeMetadata: string;
  readonly serviceAccount: string;
  /** The opposite of metadata disable-legacy-endpoints; true unless that says otherwise. */
  readonly enableLegacyEndpoints: boolean;
}

/** The adapter's view of a cluster with its node pools. */
interface GkeCluster {
  readonly config: Block;
  readonly nodeConfig: NodeConfig;
  readonly pools: readonly { readonly config: Block; readonly nodeConfig: NodeConfig }[];
}

const NO_NODE_CONFIG: NodeConfig = { imageType: '', nodeMetadata: '', serviceAccount: '', enableLegacyEndpoints: true };

function adaptNodeConfig(config: Block | undefined): NodeConfig {
  if (!config) return NO_NODE_CONFIG;
  const workload = block(config, 'workload_metadata_config');
  const disableLegacy = bool(block(config, 'metadata'), 'disable-legacy-endpoints');
  return {
    imageType: str(config, 'image_type') ?? '',
    nodeMetadata: str(workload, 'node_metadata') ?? str(workload, 'mode') ?? 'UNSPECIFIED',
    serviceAccount: str(config, 'service_account') ?? '',
    enableLegacyEndpoints: disableLegacy === undefined ? true : !disableLegacy,
  };
}

function adaptCluster(cluster: PolicyResource, stack: StackResources): GkeCluster {
  const reference = `${CLUSTER}.${cluster.name}.`;
  const pools = stack.resources
    .filter((r) => r.type === 'google_container_node_pool' && (str(r.config, 'cluster') ?? '').includes(reference))
    .map((r) => ({ config: r.config, nodeConfig: adaptNodeConfig(block(r.config, 'node_config')) }));
  return {
    config: cluster.config,
    nodeConfig: pools.length > 0 ? pools[0].nodeConfig : adaptNodeConfig(block(cluster.config, 'node_config')),
    pools,
  };
}

/** A Trivy check on a cluster and its node pools. */
function gkeCheck(id: string, title: string, file: string, passes: (cluster: GkeCluster) => boolean): PolicyCheck {
  return {
    id,
    title,
    source: `${TRIVY}${file}`,
    resourceTypes: [CLUSTER],
    evaluate: (resource, stack) => verdict(passes(adaptCluster(resource, stack))),
  };
}

const removesDefaultPool = (c: GkeCluster) => bool(c.config, 'remove_default_node_pool') === true;
const autopilot = (c: GkeCluster) => bool(c.config, 'enable_autopilot') === true;
const management = (config: Block, key: string) => bool(block(config, 'management'), key) === true;
const exposesMetadata = (n: NodeConfig) => n.nodeMetadata === 'UNSPECIFIED' || n.nodeMetadata === 'EXPOSE';

/** Trivy's cidr.is_public: anything outside the private, loopback and link-local ranges. */
function isPublicCidr(cidr: string): boolean {
  const match = /^(\d+)\.(\d+)\./.exec(cidr);
  if (!match) return true;
  const [a, b] = [Number(match[1]), Number(match[2])];
  const isPrivate = a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  return !(isPrivate || a === 127 || (a === 169 && b === 254));
}

export const TRIVY_CHECKS: readonly PolicyCheck[] = [
  gkeCheck(
    'AVD-GCP-0048',
    'Legacy metadata endpoints enabled.',
    'metadata_endpoints_disabled.rego',
    // Deprecated upstream (GKE 1.12+ disables the endpoints), still run here because it is cheap and true.
    (c) =>
      autopilot(c) ||
      (removesDefaultPool(c)
        ? c.pools.every((p) => !p.nodeConfig.enableLegacyEndpoints)
        : !c.nodeConfig.enableLegacyEndpoints),
  ),
  gkeCheck(
    'AVD-GCP-0049',
    'Clusters should have IP aliasing enabled',
    'enable_ip_aliasing.rego',
    (c) => block(c.config, 'ip_allocation_policy') !== undefined,
  ),
  gkeCheck('AVD-GCP-0050', 'Checks for service account defined for GKE nodes', 'use_service_account.rego', (c) => {
    const autoscaling = bool(block(c.config, 'cluster_autoscaling'), 'enabled') === true || autopilot(c);
    const clusterAccount = autoscaling
      ? (str(block(block(c.config, 'cluster_autoscaling'), 'auto_provisioning_defaults'), 'service_account') ?? '')
      : removesDefaultPool(c)
        ? 'removed'
        : c.nodeConfig.serviceAccount;
    const poolsOverride = autopilot(c) || c.pools.every((p) => p.nodeConfig.serviceAccount !== '');
    return clusterAccount !== '' && poolsOverride;
  }),
  gkeCheck(
    'AVD-GCP-0051',
    'Clusters should be configured with Labels',
    'use_cluster_labels.rego',
    (c) => Object.keys(block(c.config, 'resource_labels') ?? {}).length > 0,
  ),
  gkeCheck(
    'AVD-GCP-0052',
    'Stackdriver Monitoring should be enabled',
    'enable_stackdriver_monitoring.rego',
    (c) => (str(c.config, 'monitoring_service') ?? MONITORING) === MONITORING,
  ),
  gkeCheck(
    'AVD-GCP-0053',
    'GKE Control Plane should not be publicly accessible',
    'no_public_control_plane.rego',
    (c) =>
      !blocks(block(c.config, 'master_authorized_networks_config'), 'cidr_blocks').some((b) =>
        isPublicCidr(str(b, 'cidr_block') ?? ''),
      ),
  ),
  gkeCheck(
    'AVD-GCP-0054',
    'Ensure Container-Optimized OS (cos) is used for Kubernetes Engine Clusters Node image',
    'node_pool_uses_cos.rego',
    (c) =>
      ['cos', 'cos_containerd', ''].includes(c.nodeConfig.imageType.toLowerCase()) &&
      c.pools.every((p) => ['cos', 'cos_containerd'].includes(p.nodeConfig.imageType.toLowerCase())),
  ),
  gkeCheck(
    'AVD-GCP-0055',
    'Shielded GKE nodes not enabled.',
    'node_shielding_enabled.rego',
    (c) => bool(c.config, 'enable_shielded_nodes') !== false,
  ),
  gkeCheck(
    'AVD-GCP-0056',
    'Network Policy should be enabled on GKE clusters',
    'enable_network_policy.rego',
    (c) =>
      bool(block(c.config, 'network_policy'), 'enabled') === true ||
      autopilot(c) ||
      str(c.config, 'datapath_provider') === 'ADVANCED_DATAPATH',
  ),
  gkeCheck(
    'AVD-GCP-0057',
    'Node metadata value disables metadata concealment.',
    'node_metadata_security.rego',
    (c) => !exposesMetadata(c.nodeConfig) && !c.pools.some((p) => exposesMetadata(p.nodeConfig)),
  ),
  gkeCheck('AVD-GCP-0058', "Kubernetes should have 'Automatic upgrade' enabled", 'enable_auto_upgrade.rego', (c) =>
    c.pools.every((p) => management(p.config, 'auto_upgrade')),
  ),
  gkeCheck(
    'AVD-GCP-0059',
    'Clusters should be set to private',
    'enable_private_cluster.rego',
    (c) => bool(block(c.config, 'private_cluster_config'), 'enable_private_nodes') === true,
  ),
  gkeCheck(
    'AVD-GCP-0060',
    'Stackdriver Logging should be enabled',
    'enable_stackdriver_logging.rego',
    (c) => (str(c.config, 'logging_service') ?? LOGGING) === LOGGING,
  ),
  gkeCheck(
    'AVD-GCP-0061',
    'Master authorized networks should be configured on GKE clusters',
    'enable_master_networks.rego',
    (c) => block(c.config, 'master_authorized_networks_config') !== undefined,
  ),
  gkeCheck(
    'AVD-GCP-0062',
    'Legacy ABAC permissions are enabled.',
    'use_rbac_permissions.rego',
    (c) => bool(c.config, 'enable_legacy_abac') !== true,
  ),
  gkeCheck('AVD-GCP-0063', "Kubernetes should have 'Automatic repair' enabled", 'enable_auto_repair.rego', (c) =>
    c.pools.every((p) => management(p.config, 'auto_repair')),
  ),
  gkeCheck('AVD-GCP-0064', 'Legacy client authentication methods utilized.', 'no_legacy_authentication.rego', (c) => {
    const auth = block(c.config, 'master_auth');
    const issuesCertificates = bool(block(auth, 'client_certificate_config'), 'issue_client_certificate') === true;
    return !issuesCertificates && (str(auth, 'username') ?? '') === '';
  }),
];
