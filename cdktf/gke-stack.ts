import { ComputeAddress } from '@cdktf/provider-google/lib/compute-address';
import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import type { GoogleBetaProvider } from '@cdktf/provider-google-beta/lib/provider';
import { Annotations, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { regionOf, type Environment } from '../config';
import { BinaryAuthorization } from './gke/binary-authorization';
import { ClusterNetwork } from './gke/cluster-network';
import { GkeCluster, type ClusterAttributes } from './gke/gke-cluster';
import { NodeServiceAccount } from './gke/node-service-account';
import { recurringWindow } from './gke/maintenance-window';
import { ProjectServices } from './gke/project-services';
import { controlPlanePreconditions } from './control-plane-preconditions';
import {
  admittedImagePatterns,
  GKE_ISTIO_ADDON_WARNING,
  requiredApis,
  unreachableControlPlaneWarning,
} from './platform';
import { declareBackend } from './state';

export interface GkeStackProps {
  /** The environment whose cluster this stack creates. */
  readonly env: Environment;
}

/** Port of istiod's injection and validation webhooks, which a private cluster's control plane must reach. */
const ISTIOD_WEBHOOK_PORT = 15017;

/**
 * The `<env>-gke` stack: the project's APIs, the cluster's network, its node service account, the hardened cluster
 * and (for the modes that run their own ingress gateway) the gateway's reserved address, so that the URL to curl is
 * known as soon as this stack is deployed.
 */
export class GkeStack extends TerraformStack {
  public readonly cluster: ClusterAttributes;
  /**
   * The regional static IP of the ingress gateway's load balancer.
   * @default - none with the GKE add-on, whose own gateway gets an ephemeral address
   */
  public readonly gatewayAddress?: ComputeAddress;

  /**
   * Before synthesizing, cdktf resolves every stack once only to find its references into other stacks (and add the
   * outputs and remote state they need). This stack refers to nothing outside itself (the mesh stack reads it, never
   * the reverse: test/cdktf/gke-stack.test.ts checks it) and declares its backend, so that pass, which would find
   * nothing and costs about a tenth of a synth, is skipped.
   */
  public override prepareStack(): void {}

  constructor(scope: Construct, id: string, props: GkeStackProps) {
    super(scope, id);
    const { env } = props;
    const { cluster: config, mesh } = env;
    const region = regionOf(config.location);
    declareBackend(this, env.state);
    new GoogleProvider(this, 'google', { project: env.projectId, region });

    const apis = new ProjectServices(this, 'apis', { services: requiredApis(mesh.mode) });
    const network = new ClusterNetwork(this, 'network', {
      name: config.name,
      region,
      ranges: config.network,
      nodeTag: `${config.name}-node`,
      webhookPorts: mesh.mode === 'istio-helm' ? [ISTIOD_WEBHOOK_PORT] : undefined,
      dependsOn: apis.resources,
    });
    const nodeAccount = new NodeServiceAccount(this, 'nodes', {
      projectId: env.projectId,
      clusterName: config.name,
      dependsOn: apis.resources,
    });
    const project = mesh.mode === 'cloud-service-mesh' ? new DataGoogleProject(this, 'project', {}) : undefined;
    const binaryAuthorization = new BinaryAuthorization(this, 'binary-authorization', {
      admittedImages: admittedImagePatterns(env),
      dependsOn: apis.resources,
    });

    const gke = new GkeCluster(this, 'gke', {
      name: config.name,
      location: config.location,
      projectId: env.projectId,
      nodeCount: config.nodeCount,
      machineType: config.machineType,
      diskSizeGb: config.diskSizeGb,
      releaseChannel: config.releaseChannel,
      network,
      controlPlaneCidr: config.network.controlPlane,
      masterAuthorizedNetworks: config.masterAuthorizedNetworks,
      privateEndpoint: config.privateEndpoint,
      rbacSecurityGroup: config.rbacSecurityGroup,
      labels: { app: 'hello-istio', environment: env.name, 'managed-by': 'cdktf', ...config.labels },
      meshId: project ? `proj-${project.number}` : undefined,
      deletionProtection: config.deletionProtection,
      maintenanceWindow: recurringWindow(config.maintenanceWindow),
      nodeServiceAccount: nodeAccount.email,
      nodeTag: `${config.name}-node`,
      istioAddon:
        mesh.mode === 'gke-istio-addon'
          ? { auth: 'AUTH_MUTUAL_TLS', provider: betaProvider(this, env.projectId, region) }
          : undefined,
      // Nodes must hold their role before they start writing logs and metrics, and the policy must be there before
      // the first pod is admitted.
      dependsOn: [...apis.resources, nodeAccount.roleBinding, binaryAuthorization.policy],
    });
    this.cluster = gke.attributes;

    if (mesh.mode !== 'gke-istio-addon') {
      this.gatewayAddress = new ComputeAddress(this, 'gateway-address', {
        name: `${config.name}-ingress`,
        region,
        addressType: 'EXTERNAL',
        networkTier: 'PREMIUM',
        description: `Ingress gateway of ${config.name} (${env.ingressGateway.namespace}/${env.ingressGateway.name})`,
        dependsOn: apis.resources,
      });
    }
    this.declareOutputs(env);
    controlPlanePreconditions(this, env).dependOnChecks(this);

    if (mesh.mode === 'gke-istio-addon') Annotations.of(this).addWarning(GKE_ISTIO_ADDON_WARNING);
    if (env.traffic.ingress === 'gateway-api' && env.traffic.gateway.address === undefined) {
      Annotations.of(this).addWarning(
        `${id}: traffic.gateway.address is not set, so the Gateway API gateway's Service gets an ephemeral address, ` +
          "not the one this stack reserves: once it is deployed, set traffic.gateway.address to this stack's " +
          'gateway_ip output',
      );
    }
    if (config.masterAuthorizedNetworks.length === 0 && !config.privateEndpoint) {
      Annotations.of(this).addWarning(unreachableControlPlaneWarning(id, mesh.mode !== 'gke-istio-addon'));
    }
  }

  private declareOutputs(env: Environment): void {
    const { name, location, privateEndpoint } = env.cluster;
    new TerraformOutput(this, 'cluster_name', { value: this.cluster.name, description: 'The GKE cluster.' });
    new TerraformOutput(this, 'cluster_location', { value: this.cluster.location, description: 'Its zone or region.' });
    new TerraformOutput(this, 'cluster_endpoint', {
      value: this.cluster.endpoint,
      description: 'Address of the control plane.',
    });
    new TerraformOutput(this, 'get_credentials_command', {
      value: `gcloud container clusters get-credentials ${name} --location ${location} --project ${env.projectId}${
        privateEndpoint ? ' --internal-ip' : ''
      }`,
      description: 'Points kubectl at the cluster (authenticating with gke-gcloud-auth-plugin).',
    });
    const { namespace, name: gateway } = env.ingressGateway;
    if (this.gatewayAddress) {
      new TerraformOutput(this, 'gateway_ip', {
        value: this.gatewayAddress.address,
        description: `The reserved address of the ingress gateway ${namespace}/${gateway}.`,
      });
      new TerraformOutput(this, 'gateway_url', {
        value: `http://${this.gatewayAddress.address}/productpage`,
        description: 'Bookinfo through the ingress gateway, once the mesh and Bookinfo are applied.',
      });
    } else {
      const ip = `kubectl -n ${namespace} get service ${gateway} -o jsonpath='{.status.loadBalancer.ingress[0].ip}'`;
      new TerraformOutput(this, 'gateway_url_command', {
        value: `echo "http://$(${ip})/productpage"`,
        description: "The add-on's gateway gets an ephemeral address: this prints the URL once it has one.",
      });
    }
  }
}

function betaProvider(scope: Construct, project: string, region: string): GoogleBetaProvider {
  // Loaded only for environments that use the add-on.
  const { GoogleBetaProvider: Provider } =
    require('@cdktf/provider-google-beta/lib/provider') as typeof import('@cdktf/provider-google-beta/lib/provider');
  return new Provider(scope, 'google-beta', { project, region });
}
