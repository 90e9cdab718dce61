import { DataGoogleClientConfig } from '@cdktf/provider-google/lib/data-google-client-config';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Fn, TerraformStack, type ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';
import * as path from 'node:path';
import { gatewayApiChartDir, gatewayApiRelease, istiodSettings, regionOf, type Environment } from '../config';
import { PROJECT_ROOT } from '../pipeline/project-root';
import type { GkeStack } from './gke-stack';
import { controlPlanePreconditions } from './control-plane-preconditions';
import { GatewayApiCrds } from './mesh/gateway-api-crds';
import { IngressGateway } from './mesh/ingress-gateway';
import { IstioControlPlane } from './mesh/istio-control-plane';
import { ManagedControlPlane } from './mesh/managed-control-plane';
import { declareBackend } from './state';

export interface MeshStackProps {
  /** The environment whose control plane this stack installs (mode istio-helm or cloud-service-mesh). */
  readonly env: Environment;
  /** The stack of the cluster the mesh runs on; its outputs configure this stack's providers. */
  readonly gke: GkeStack;
}

/**
 * The `<env>-mesh` stack: the Istio control plane and the ingress gateway. It reads the cluster's endpoint, CA and
 * the gateway's reserved address from the gke stack (cross-stack references, through that stack's state), so
 * `cdktf deploy <env>-gke <env>-mesh` configures Helm from the real cluster.
 *
 * - `istio-helm`: base, cni and istiod from Istio's Helm charts.
 * - `cloud-service-mesh`: fleet registration and the managed control plane; Google runs istiod.
 * Either way the `gateway` chart runs the ingress gateway that the Kubernetes side's Gateway selects; with
 * `traffic.ingress: 'gateway-api'` the Gateway API CRDs (the release the Istio version reads) are installed before
 * istiod instead, and istiod deploys the gateway for the Kubernetes side's Gateway.
 */
export class MeshStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: MeshStackProps) {
    super(scope, id);
    const { env, gke } = props;
    if (!gke.gatewayAddress) {
      throw new Error(`mesh.mode ${env.mesh.mode} installs its control plane with the cluster; it has no mesh stack`);
    }
    declareBackend(this, env.state);
    new GoogleProvider(this, 'google', { project: env.projectId, region: regionOf(env.cluster.location) });
    // Helm authenticates to the cluster as whoever runs Terraform, with a short-lived Google access token.
    const client = new DataGoogleClientConfig(this, 'client', {});
    new HelmProvider(this, 'helm', {
      kubernetes: {
        host: `https://${gke.cluster.endpoint}`,
        token: client.accessToken,
        clusterCaCertificate: Fn.base64decode(gke.cluster.caCertificate),
      },
    });

    const gatewayApi = env.traffic.ingress === 'gateway-api';
    let controlPlane: ITerraformDependable;
    if (env.mesh.mode === 'cloud-service-mesh') {
      controlPlane = new ManagedControlPlane(this, 'managed-control-plane', {
        clusterId: gke.cluster.id,
        clusterName: env.cluster.name,
      }).featureMembership;
    } else {
      const istiod = istiodSettings(env);
      const crds = gatewayApi ? gatewayApiCrds(this, env.istio.version) : undefined;
      controlPlane = new IstioControlPlane(this, 'istio', {
        version: env.istio.version,
        hub: env.istio.hub,
        chartRepository: env.istio.chartRepository,
        revision: env.istio.revision,
        cni: env.injection.cni,
        // The gateways istiod deploys for Gateway API Gateways run in the application's namespace, whose Pod
        // Security level (restricted) wants a seccomp profile, which the chart's gateway template sets only if asked.
        istiodValues: gatewayApi
          ? { ...istiod.values, gateways: { seccompProfile: { type: 'RuntimeDefault' } } }
          : istiod.values,
        meshConfig: istiod.meshConfig,
        istiodDependsOn: crds ? [crds.release] : [],
      }).istiod;
    }
    // With the Gateway API, istiod deploys the ingress gateway for the Gateway object itself.
    if (!gatewayApi) {
      new IngressGateway(this, 'ingress-gateway', {
        version: env.istio.version,
        hub: env.istio.hub,
        chartRepository: env.istio.chartRepository,
        gateway: env.ingressGateway,
        revision: env.istio.revision,
        loadBalancerIp: gke.gatewayAddress.address,
        dependsOn: [controlPlane],
      });
    }
    controlPlanePreconditions(this, env).dependOnChecks(this);
  }
}

/** The Gateway API CRDs of the release an Istio version reads, from the project's chart of them. */
function gatewayApiCrds(scope: Construct, istioVersion: string): GatewayApiCrds {
  const release = gatewayApiRelease(istioVersion);
  return new GatewayApiCrds(scope, 'gateway-api-crds', {
    release,
    chartDir: path.join(PROJECT_ROOT, gatewayApiChartDir(release)),
  });
}
