import { block, blocks, bool, isSet, str, verdict, type Block, type PolicyCheck } from './terraform-config';

/**
 * Checkov's GKE checks, reimplemented over synthesized Terraform JSON with the semantics of their upstream source
 * (bridgecrewio/checkov, checkov/terraform/checks/resource/gcp/). Checkov's base classes decide what a missing
 * attribute means: a value check (BaseResourceValueCheck) fails when the attribute is missing, a negative value
 * check (BaseResourceNegativeValueCheck) passes.
 */

const CLUSTER = 'google_container_cluster';
const NODE_POOL = 'google_container_node_pool';
const CHECKOV = 'bridgecrewio/checkov checkov/terraform/checks/resource/gcp/';

const nodeConfig = (config: Block) => block(config, 'node_config');

export const CHECKOV_CHECKS: readonly PolicyCheck[] = [
  {
    // GKEClusterLogging.py: fails only when logging_service is "none".
    id: 'CKV_GCP_1',
    title: 'Ensure Stackdriver Logging is set to Enabled on Kubernetes Engine Clusters',
    source: `${CHECKOV}GKEClusterLogging.py`,
    resourceTypes: [CLUSTER],
    evaluate: ({ config }) => verdict(str(config, 'logging_service') !== 'none'),
  },
  {
    // GKEDisableLegacyAuth.py: negative value check, enable_legacy_abac must not be true.
    id: 'CKV_GCP_7',
    title: 'Ensure Legacy Authorization is set to Disabled on Kubernetes Engine Clusters',
    source: `${CHECKOV}GKEDisableLegacyAuth.py`,
    resourceTypes: [CLUSTER],
    evaluate: ({ config }) => verdict(bool(config, 'enable_legacy_abac') !== true),
  },
  {
    // GKEMonitoringEnabled.py: negative value check, monitoring_service must not be "none".
    id: 'CKV_GCP_8',
    title: 'Ensure Stackdriver Monitoring is set to Enabled on Kubernetes Engine Clusters',
    source: `${CHECKOV}GKEMonitoringEnabled.py`,
    resourceTypes: [CLUSTER],
    evaluate: ({ config }) => verdict(str(config, 'monitoring_service') !== 'none'),
  },
  {
    // GKENodePoolAutoRepairEnabled.py: value check, management[0].auto_repair must be true.
    id: 'CKV_GCP_9',
    title: "Ensure 'Automatic node repair' is enabled for Kubernetes Clusters",
    source: `${CHECKOV}GKENodePoolAutoRepairEnabled.py`,
    resourceTypes: [NODE_POOL],
    evaluate: ({ config }) => verdict(bool(block(config, 'management'), 'auto_repair') === true),
  },
  {
    // GKENodePoolAutoUpgradeEnabled.py: value check, management[0].auto_upgrade must be true.
    id: 'CKV_GCP_10',
    title: "Ensure 'Automatic node upgrade' is enabled for Kubernetes Clusters",
    source: `${CHECKOV}GKENodePoolAutoUpgradeEnabled.py`,
    resourceTypes: [NODE_POOL],
    evaluate: ({ config }) => verdict(bool(block(config, 'management'), 'auto_upgrade') === true),
  },
  {
    // GKENetworkPolicyEnabled.py: value check, network_policy[0].enabled must be true (Calico; Dataplane V2 is not
    // considered).
    id: 'CKV_GCP_12',
    title: 'Ensure Network Policy is enabled on Kubernetes Engine Clusters',
    source: `${CHECKOV}GKENetworkPolicyEnabled.py`,
    resourceTypes: [CLUSTER],
    evaluate: ({ config }) => verdict(bool(block(config, 'network_policy'), 'enabled') === true),
  },
  {
    // GKEClientCertificateDisabled.py: value check, master_auth[0].client_certificate_config[0]
    // .issue_client_certificate must be false (set explicitly).
    id: 'CKV_GCP_13',
    title: 'Ensure client certificate authentication to Kubernetes Engine Clusters is disabled',
    source: `${CHECKOV}GKEClientCertificateDisabled.py`,
    resourceTypes: [CLUSTER],
    evaluate: ({ config }) =>
      verdict(
        bool(block(block(config, 'master_auth'), 'client_certificate_config'), 'issue_client_certificate') === false,
      ),
  },
  {
    // GKEPublicControlPlane.py: fails when an authorized network's cidr_block contains "0.0.0.0/0".
    id: 'CKV_GCP_18',
    title: 'Ensure GKE Control Plane is not public',
    source: `${CHECKOV}GKEPublicControlPlane.py`,
    resourceTypes: [CLUSTER],
    evaluate: ({ config }) =>
      verdict(
        !blocks(block(config, 'master_authorized_networks_config'), 'cidr_blocks').some((b) =>
          (str(b, 'cidr_block') ?? '').includes('0.0.0.0/0'),
        ),
      ),
  },
  {
    // GKEMasterAuthorizedNetworksEnabled.py: master_authorized_networks_config must be present (ANY_VALUE).
    id: 'CKV_GCP_20',
    title: 'Ensure master authorized networks is set to enabled in GKE clusters',
    source: `${CHECKOV}GKEMasterAuthorizedNetworksEnabled.py`,
    resourceTypes: [CLUSTER],
    evaluate: ({ config }) => verdict(isSet(config, 'master_authorized_networks_config')),
  },
  {
    // GKEHasLabels.py: resource_labels must be a non-empty map.
    id: 'CKV_GCP_21',
    title: 'Ensure Kubernetes Clusters are configured with Labels',
    source: `${CHECKOV}GKEHasLabels.py`,
    resourceTypes: [CLUSTER],
    evaluate: ({ config }) => verdict(Object.keys(block(config, 'resource_labels') ?? {}).length > 0),
  },
  {
    // GKEUseCosImage.py, a legacy check for pre-1.24 (Docker runtime) node pools: UNKNOWN unless the pool pins a
    // `version` below 1.24 (as Checkov 3.3.30 runs it; conformance compares the verdicts); then node_config[0].image_type
    // must start with "cos" (case-insensitive), or remove_default_node_pool be set.
    id: 'CKV_GCP_22',
    title: 'Ensure Container-Optimized OS (cos) is used for Kubernetes Engine Clusters Node image',
    source: `${CHECKOV}GKEUseCosImage.py`,
    resourceTypes: [NODE_POOL],
    evaluate: ({ config }) => {
      const [major, minor] = (str(config, 'version') ?? '').split('.');
      const version = Number(`${major}.${minor}`);
      if (minor === undefined || Number.isNaN(version) || version >= 1.24) return 'unknown';
      if ((str(nodeConfig(config), 'image_type') ?? '').toLowerCase().startsWith('cos')) return 'passed';
      return verdict(bool(config, 'remove_default_node_pool') === true);
    },
  },
  {
    // GKEAliasIpEnabled.py: ip_allocation_policy must be present (ANY_VALUE).
    id: 'CKV_GCP_23',
    title: 'Ensure Kubernetes Cluster is created with Alias IP ranges enabled',
    source: `${CHECKOV}GKEAliasIpEnabled.py`,
    resourceTypes: [CLUSTER],
    evaluate: ({ config }) => verdict(isSet(config, 'ip_allocation_policy')),
  },
  {
    // GKEPrivateClusterConfig.py: private_cluster_config must be present (ANY_VALUE).
    id: 'CKV_GCP_25',
    title: 'Ensure Kubernetes Cluster is created with Private cluster enabled',
    source: `${CHECKOV}GKEPrivateClusterConfig.py`,
    resourceTypes: [CLUSTER],
    evaluate: ({ config }) => verdict(isSet(config, 'private_cluster_config')),
  },
  {
    // GKEEnableVPCFlowLogs.py: value check, enable_intranode_visibility must be true.
    id: 'CKV_GCP_61',
    title: 'Enable VPC Flow Logs and Intranode Visibility',
    source: `${CHECKOV}GKEEnableVPCFlowLogs.py`,
    resourceTypes: [CLUSTER],
    evaluate: ({ config }) => verdict(bool(config, 'enable_intranode_visibility') === true),
  },
  {
    // GKEPrivateNodes.py: private_cluster_config must be present (ANY_VALUE); that private_nodes is on is Trivy's
    // AVD-GCP-0059.
    id: 'CKV_GCP_64',
    title: 'Ensure clusters are created with Private Nodes',
    source: `${CHECKOV}GKEPrivateNodes.py`,
    resourceTypes: [CLUSTER],
    evaluate: ({ config }) => verdict(isSet(config, 'private_cluster_config')),
  },
  {
    // GKEKubernetesRBACGoogleGroups.py: authenticator_groups_config[0].security_group must be set (ANY_VALUE).
    id: 'CKV_GCP_65',
    title: 'Manage Kubernetes RBAC users with Google Groups for GKE',
    source: `${CHECKOV}GKEKubernetesRBACGoogleGroups.py`,
    resourceTypes: [CLUSTER],
    evaluate: ({ config }) => verdict(isSet(block(config, 'authenticator_groups_config'), 'security_group')),
  },
  {
    // GKEBinaryAuthorization.py: binary_authorization[0].evaluation_mode PROJECT_SINGLETON_POLICY_ENFORCE (provider
    // 4.31+), or the older enable_binary_authorization = true.
    id: 'CKV_GCP_66',
    title: 'Ensure use of Binary Authorization',
    source: `${CHECKOV}GKEBinaryAuthorization.py`,
    resourceTypes: [CLUSTER],
    evaluate: ({ config }) => {
      const mode = block(config, 'binary_authorization')?.evaluation_mode;
      const legacy = bool(config, 'enable_binary_authorization') === true;
      return verdict(mode === 'PROJECT_SINGLETON_POLICY_ENFORCE' || mode === true || legacy);
    },
  },
  {
    // GKESecureBootforShieldedNodes.py: with node_config, shielded_instance_config[0].enable_secure_boot must be
    // true (a missing shielded_instance_config fails); without node_config the result is UNKNOWN.
    id: 'CKV_GCP_68',
    title: 'Ensure Secure Boot for Shielded GKE Nodes is Enabled',
    source: `${CHECKOV}GKESecureBootforShieldedNodes.py`,
    resourceTypes: [CLUSTER, NODE_POOL],
    evaluate: ({ config }) => {
      const node = nodeConfig(config);
      if (!node) return 'unknown';
      return verdict(bool(block(node, 'shielded_instance_config'), 'enable_secure_boot') === true);
    },
  },
  {
    // GKEMetadataServerIsEnabled.py: node_config[0].workload_metadata_config mode GKE_METADATA (or the older
    // node_metadata GKE_METADATA_SERVER); anything else, or no node_config, fails.
    id: 'CKV_GCP_69',
    title: 'Ensure the GKE Metadata Server is Enabled',
    source: `${CHECKOV}GKEMetadataServerIsEnabled.py`,
    resourceTypes: [CLUSTER, NODE_POOL],
    evaluate: ({ config }) => {
      const metadata = block(nodeConfig(config), 'workload_metadata_config');
      return verdict(
        str(metadata, 'mode') === 'GKE_METADATA' || str(metadata, 'node_metadata') === 'GKE_METADATA_SERVER',
      );
    },
  },
  {
    // GKEReleaseChannel.py: release_channel[0].channel must be set (ANY_VALUE).
    id: 'CKV_GCP_70',
    title: 'Ensure the GKE Release Channel is set',
    source: `${CHECKOV}GKEReleaseChannel.py`,
    resourceTypes: [CLUSTER],
    evaluate: ({ config }) => verdict(isSet(block(config, 'release_channel'), 'channel')),
  },
  {
    // GKEEnableShieldedNodes.py: value check, enable_shielded_nodes must be true.
    id: 'CKV_GCP_71',
    title: 'Ensure Shielded GKE Nodes are Enabled',
    source: `${CHECKOV}GKEEnableShieldedNodes.py`,
    resourceTypes: [CLUSTER],
    evaluate: ({ config }) => verdict(bool(config, 'enable_shielded_nodes') === true),
  },
  {
    // GKEEnsureIntegrityMonitoring.py: with node_config, an explicit shielded_instance_config must have
    // enable_integrity_monitoring true (absent, GKE's default of true passes); without node_config, UNKNOWN.
    id: 'CKV_GCP_72',
    title: 'Ensure Integrity Monitoring for Shielded GKE Nodes is Enabled',
    source: `${CHECKOV}GKEEnsureIntegrityMonitoring.py`,
    resourceTypes: [CLUSTER, NODE_POOL],
    evaluate: ({ config }) => {
      const node = nodeConfig(config);
      if (!node) return 'unknown';
      const shielded = block(node, 'shielded_instance_config');
      return verdict(!shielded || bool(shielded, 'enable_integrity_monitoring') === true);
    },
  },
  {
    // GKEDontUseNodePools.py: negative value check, no inline node_pool blocks on the cluster.
    id: 'CKV_GCP_123',
    title: "GKE Don't Use NodePools in the Cluster configuration",
    source: `${CHECKOV}GKEDontUseNodePools.py`,
    resourceTypes: [CLUSTER],
    evaluate: ({ config }) => verdict(!isSet(config, 'node_pool')),
  },
  {
    // checkov/terraform/checks/graph_checks/gcp/GKEClustersAreNotUsingDefaultServiceAccount: Checkov's graph check
    // only fails when a google_project_default_service_accounts resource is connected to a cluster or node pool, so
    // it passes vacuously without one. This rule checks what its title says, which is stricter: every node pool,
    // and the cluster's own node_config unless its default pool is removed, names a service account that is not
    // the Compute Engine default (<number>-compute@developer.gserviceaccount.com).
    id: 'CKV2_GCP_1',
    title: 'Ensure GKE clusters are not running using the Compute Engine default service account',
    source:
      'bridgecrewio/checkov checkov/terraform/checks/graph_checks/gcp/GKEClustersAreNotUsingDefaultServiceAccount',
    resourceTypes: [CLUSTER, NODE_POOL],
    evaluate: ({ type, config }) => {
      if (type === CLUSTER && bool(config, 'remove_default_node_pool') === true) return 'passed';
      const account = str(nodeConfig(config), 'service_account') ?? '';
      const computeDefault = account.endsWith('-compute@developer.gserviceaccount.com');
      return verdict(account !== '' && account !== 'default' && !computeDefault);
    },
  },
];
