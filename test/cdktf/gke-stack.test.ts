import '../helpers/cdktf-matchers';
import { ComputeAddress } from '@cdktf/provider-google/lib/compute-address';
import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { App, TerraformStack } from 'cdktf';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MESH_MODES, type EnvironmentInput } from '../../config';
import { GkeStack } from '../../cdktf/gke-stack';
import { MeshStack } from '../../cdktf/mesh-stack';
import { stackIds } from '../../cdktf/terraform-app';
import { defaultEnvironment } from '../helpers/environments';
import { onlyResource, synthesizeStacks } from '../helpers/terraform';

/** The default environment's gke stack, optionally with some of the cluster's settings changed. */
function gkeStack(change: (cluster: EnvironmentInput['cluster']) => void = () => undefined) {
  const env = defaultEnvironment((e) => {
    change(e.cluster);
    return e;
  });
  const synth = synthesizeStacks([env]);
  return { text: synth.text('default-gke'), json: synth.json('default-gke'), warnings: synth.warnings.get('default')! };
}

describe('the default gke stack', () => {
  const { text, json, warnings } = gkeStack();
  const cluster = onlyResource(json, 'google_container_cluster');
  const pool = onlyResource(json, 'google_container_node_pool');

  test('snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  test('creates the tutorial cluster: hello-istio in us-central1-f, 4 nodes, on the REGULAR channel', () => {
    expect(text).toHaveResourceWithProperties(ContainerCluster, {
      name: 'hello-istio',
      location: 'us-central1-f',
      release_channel: { channel: 'REGULAR' },
      deletion_protection: true,
    });
    expect(text).toHaveResourceWithProperties(ContainerNodePool, {
      location: 'us-central1-f',
      node_count: 4,
      node_config: expect.objectContaining({ machine_type: 'e2-standard-4' }),
    });
  });

  test('keeps nodes in a separately managed pool: the default pool is removed, no inline node_pool', () => {
    expect(cluster).toMatchObject({ remove_default_node_pool: true, initial_node_count: 1 });
    expect(cluster).not.toHaveProperty('node_pool');
    expect(pool.cluster).toBe('${google_container_cluster.gke_Cluster_D5F41316.id}');
    expect(pool.management).toEqual({ auto_repair: true, auto_upgrade: true });
  });

  test('hardens the nodes: COS containerd, shielded with secure boot and integrity monitoring, GKE metadata server', () => {
    for (const nodeConfig of [pool.node_config, cluster.node_config]) {
      expect(nodeConfig).toMatchObject({
        image_type: 'COS_CONTAINERD',
        shielded_instance_config: { enable_secure_boot: true, enable_integrity_monitoring: true },
        workload_metadata_config: { mode: 'GKE_METADATA' },
        metadata: { 'disable-legacy-endpoints': 'true' },
      });
    }
    expect(cluster.lifecycle).toEqual({ ignore_changes: ['node_config'] });
  });

  test('runs the nodes as a dedicated service account with only the GKE node role', () => {
    expect(text).toHaveResourceWithProperties(ServiceAccount, { account_id: 'hello-istio-nodes' });
    expect(text).toHaveResourceWithProperties(ProjectIamMember, {
      project: 'your-gcp-project-id',
      role: 'roles/container.defaultNodeServiceAccount',
      member: '${google_service_account.nodes_Account_E264F6C9.member}',
    });
    const [roleBinding, ...otherBindings] = Object.keys(json.resource.google_project_iam_member);
    expect(otherBindings).toEqual([]);
    expect(pool.node_config.service_account).toBe('${google_service_account.nodes_Account_E264F6C9.email}');
    expect(cluster.node_config.service_account).toBe(pool.node_config.service_account);
    expect(cluster.depends_on).toContain(`google_project_iam_member.${roleBinding}`);
  });

  test('hardens the control plane', () => {
    expect(cluster).toMatchObject({
      workload_identity_config: { workload_pool: 'your-gcp-project-id.svc.id.goog' },
      networking_mode: 'VPC_NATIVE',
      ip_allocation_policy: { cluster_secondary_range_name: 'pods', services_secondary_range_name: 'services' },
      datapath_provider: 'ADVANCED_DATAPATH',
      private_cluster_config: {
        enable_private_nodes: true,
        enable_private_endpoint: false,
        master_ipv4_cidr_block: '172.16.0.0/28',
      },
      master_authorized_networks_config: { cidr_blocks: [], gcp_public_cidrs_access_enabled: false },
      enable_legacy_abac: false,
      master_auth: { client_certificate_config: { issue_client_certificate: false } },
      binary_authorization: { evaluation_mode: 'PROJECT_SINGLETON_POLICY_ENFORCE' },
      logging_service: 'logging.googleapis.com/kubernetes',
      monitoring_service: 'monitoring.googleapis.com/kubernetes',
      enable_shielded_nodes: true,
      enable_intranode_visibility: true,
      resource_labels: { app: 'hello-istio', environment: 'default', 'managed-by': 'cdktf' },
    });
    // Dataplane V2 enforces NetworkPolicy; GKE rejects the Calico switch beside it. No basic auth fields at all.
    expect(cluster).not.toHaveProperty('network_policy');
    expect(cluster.master_auth).not.toHaveProperty('username');
    expect(cluster).not.toHaveProperty('authenticator_groups_config');
  });

  test('enables the APIs it needs before creating anything that uses them', () => {
    const services = Object.values(json.resource.google_project_service).map((s) => s.service);
    expect(services.sort()).toEqual([
      'binaryauthorization.googleapis.com',
      'cloudresourcemanager.googleapis.com',
      'compute.googleapis.com',
      'container.googleapis.com',
      'iam.googleapis.com',
      'logging.googleapis.com',
      'monitoring.googleapis.com',
    ]);
    expect(text).toHaveResourceWithProperties(ProjectService, { disable_on_destroy: false });
    // The APIs, the node role, the Binary Authorization policy and the plan-time checks.
    expect(cluster.depends_on).toHaveLength(services.length + 3);
  });

  test('gives the cluster a network of its own: VPC-native subnet with flow logs, Cloud NAT for private nodes', () => {
    expect(text).toHaveResourceWithProperties(ComputeNetwork, { name: 'hello-istio', auto_create_subnetworks: false });
    expect(text).toHaveResourceWithProperties(ComputeSubnetwork, {
      name: 'hello-istio-nodes',
      region: 'us-central1',
      ip_cidr_range: '10.10.0.0/20',
      private_ip_google_access: true,
      secondary_ip_range: [
        { range_name: 'pods', ip_cidr_range: '10.20.0.0/14' },
        { range_name: 'services', ip_cidr_range: '10.24.0.0/20' },
      ],
      log_config: expect.objectContaining({ metadata: 'INCLUDE_ALL_METADATA' }),
    });
    expect(text).toHaveResourceWithProperties(ComputeRouterNat, {
      source_subnetwork_ip_ranges_to_nat: 'LIST_OF_SUBNETWORKS',
      nat_ip_allocate_option: 'AUTO_ONLY',
    });
    expect(cluster.network).toBe('${google_compute_network.network_Network_41FD6EB8.id}');
  });

  test("lets the private cluster's control plane reach istiod's webhooks on the nodes", () => {
    expect(text).toHaveResourceWithProperties(ComputeFirewall, {
      direction: 'INGRESS',
      source_ranges: ['172.16.0.0/28'],
      target_tags: ['hello-istio-node'],
      allow: [{ protocol: 'tcp', ports: ['15017'] }],
    });
    expect(pool.node_config.tags).toEqual(['hello-istio-node']);
  });

  test('denies, and logs, all other ingress at the lowest priority, on the cluster network', () => {
    expect(text).toHaveResourceWithProperties(ComputeFirewall, {
      network: '${google_compute_network.network_Network_41FD6EB8.id}',
      direction: 'INGRESS',
      priority: 65534,
      source_ranges: ['0.0.0.0/0'],
      deny: [{ protocol: 'all' }],
      log_config: { metadata: 'INCLUDE_ALL_METADATA' },
    });
  });

  test('reserves the regional static address of the ingress gateway', () => {
    expect(text).toHaveResourceWithProperties(ComputeAddress, {
      name: 'hello-istio-ingress',
      region: 'us-central1',
      address_type: 'EXTERNAL',
    });
  });

  test('outputs the cluster, the get-credentials command, the gateway address and the URL to curl', () => {
    expect(json.output).toMatchObject({
      cluster_name: { value: '${google_container_cluster.gke_Cluster_D5F41316.name}' },
      cluster_location: { value: '${google_container_cluster.gke_Cluster_D5F41316.location}' },
      cluster_endpoint: { value: '${google_container_cluster.gke_Cluster_D5F41316.endpoint}' },
      get_credentials_command: {
        value:
          'gcloud container clusters get-credentials hello-istio --location us-central1-f --project your-gcp-project-id',
      },
      gateway_ip: { value: '${google_compute_address.gateway-address.address}' },
      gateway_url: { value: 'http://${google_compute_address.gateway-address.address}/productpage' },
    });
  });

  test('configures the provider for the project and the region of the zone', () => {
    expect(text).toHaveProviderWithProperties(GoogleProvider, {
      project: 'your-gcp-project-id',
      region: 'us-central1',
    });
  });

  test('declares a relative local backend outside dist/, so output is the same on every machine', () => {
    expect(json.terraform.backend.local.path).toBe('../../../../terraform.tfstate.d/default-gke.tfstate');
    expect(text).not.toContain(process.cwd());
  });

  test('warns that an empty list of authorized networks shuts everyone out', () => {
    expect(warnings).toEqual([expect.stringMatching(/cluster\.masterAuthorizedNetworks is empty/)]);
  });
});

describe('cluster settings from config', () => {
  test('authorized networks, with no warning', () => {
    const { json, warnings } = gkeStack((c) => {
      c.masterAuthorizedNetworks = [{ cidrBlock: '10.0.0.0/8', displayName: 'office' }];
    });
    expect(onlyResource(json, 'google_container_cluster').master_authorized_networks_config.cidr_blocks).toEqual([
      { cidr_block: '10.0.0.0/8', display_name: 'office' },
    ]);
    expect(warnings).toEqual([]);
  });

  test('a private endpoint, reached from inside the VPC', () => {
    const { json, warnings } = gkeStack((c) => {
      c.privateEndpoint = true;
    });
    expect(onlyResource(json, 'google_container_cluster').private_cluster_config.enable_private_endpoint).toBe(true);
    expect(json.output!.get_credentials_command.value).toMatch(/ --internal-ip$/);
    expect(warnings).toEqual([]);
  });

  test('a regional cluster with Google Groups for RBAC, other ranges, labels and a machine type', () => {
    const { json } = gkeStack((c) => {
      c.location = 'europe-west4';
      c.rbacSecurityGroup = 'gke-security-groups@example.com';
      c.network = { nodes: '192.168.0.0/20' };
      c.labels = { team: 'mesh' };
      c.machineType = 'n2-standard-8';
      c.nodeCount = 2;
      c.deletionProtection = false;
    });
    const cluster = onlyResource(json, 'google_container_cluster');
    expect(cluster).toMatchObject({
      location: 'europe-west4',
      authenticator_groups_config: { security_group: 'gke-security-groups@example.com' },
      resource_labels: { team: 'mesh', app: 'hello-istio' },
      deletion_protection: false,
    });
    expect(onlyResource(json, 'google_container_node_pool')).toMatchObject({
      node_count: 2,
      node_config: { machine_type: 'n2-standard-8', resource_labels: { team: 'mesh' } },
    });
    expect(onlyResource(json, 'google_compute_subnetwork')).toMatchObject({
      region: 'europe-west4',
      ip_cidr_range: '192.168.0.0/20',
    });
    expect(json.provider.google[0].region).toBe('europe-west4');
  });

  test('a long cluster name still gives a valid service account id (at most 30 characters)', () => {
    const { json } = gkeStack((c) => {
      c.name = 'a-very-long-cluster-name-for-the-mesh';
    });
    const { account_id } = onlyResource(json, 'google_service_account');
    expect(account_id).toBe('a-very-long-cluster-name-nodes');
    expect(account_id.length).toBeLessThanOrEqual(30);
  });
});

// GkeStack skips cdktf's preparing pass (prepareStack), which looks for references into other stacks; that is right
// only while it has none, whatever the environment.
describe.each([
  ...MESH_MODES.map((mode) => [mode, { mode }] as const),
  ['istio-helm on the ambient data plane', { mode: 'istio-helm', dataplane: 'ambient' }] as const,
])('%s: the preparing pass would find nothing in the gke stack', (_name, mesh) => {
  test('no reference into another stack (and the mesh stack, which has some, shows that they would be seen)', () => {
    const env = defaultEnvironment((e) => ({ ...e, mesh: mesh as EnvironmentInput['mesh'] }));
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'prepare-')), stackTraces: false });
    const gke = new GkeStack(app, 'gke', { env });
    const meshStack = stackIds(env).mesh ? new MeshStack(app, 'mesh', { env, gke }) : undefined;
    const references = vi.spyOn(App.prototype, 'crossStackReference');
    try {
      TerraformStack.prototype.prepareStack.call(gke);
      expect(references).not.toHaveBeenCalled();
      if (meshStack) {
        TerraformStack.prototype.prepareStack.call(meshStack);
        expect(references).toHaveBeenCalled();
      }
    } finally {
      references.mockRestore();
    }
  });
});
