import { DataGoogleClientConfig } from '@cdktf/provider-google/lib/data-google-client-config';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Fn, TerraformStack, type ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';
import * as path from 'node:path';
import {
  gatewayApiChartDir,
  gatewayApiRelease,
  istiodSettings,
  regionOf,
  ztunnelSettings,
  type Environment,
} from '../config';
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
 * - `istio-helm`: base, cni and istiod from Istio's Helm charts; with `mesh.dataplane: ambient` also ztunnel.
 * - `cloud-service-mesh`: fleet registration and the managed control plane; Google runs istiod.
 * Either way the `gateway` chart runs the ingress gateway that the Kubernetes side's Gateway selects; with
 * `traffic.ingress: 'gateway-api'` the Gateway API CRDs (the release the Istio version reads) are installed before
 * istiod instead, and istiod deploys the gateway for the Kubernetes side's Gateway. Ambient installs those CRDs too,
 * for its waypoints.
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
    let controlPlane: ITerraformDependable[];
    if (env.mesh.mode === 'cloud-service-mesh') {
      controlPlane = [
        new ManagedControlPlane(this, 'managed-control-plane', {
          clusterId: gke.cluster.id,
          clusterName: env.cluster.name,
        }).featureMembership,
      ];
    } else {
      // one istiod release per revision, each with its own release's values and the tags pointing at it
      const revisions = env.istio.controlPlanes.map((cp) => {
        const istiod = istiodSettings({
          ...env,
          istio: { ...env.istio, version: cp.version, revision: cp.revision },
          injection: { ...env.injection, proxyImage: cp.proxyImage },
        });
        return { revision: cp.revision, version: cp.version, revisionTags: cp.tags, ...istiod };
      });
      // istiod watches only the kinds whose CRDs exist when it starts: Gateway API's first (HTTPRoutes, waypoints)
      const crds = gatewayApi || env.mesh.dataplane === 'ambient' ? gatewayApiCrds(this, env.istio.version) : undefined;
      controlPlane = new IstioControlPlane(this, 'istio', {
        hub: env.istio.hub,
        chartRepository: env.istio.chartRepository,
        revisions: revisions.map((r) => ({
          revision: r.revision,
          version: r.version,
          revisionTags: r.revisionTags,
          istiodValues: r.values,
          meshConfig: r.meshConfig,
        })),
        defaultRevision: env.istio.revision,
        cni: env.injection.cni,
        idsByRevision: env.istio.revisions !== undefined,
        ambient: env.mesh.dataplane === 'ambient',
        ztunnelValues: env.mesh.dataplane === 'ambient' ? ztunnelSettings(env) : undefined,
        dependsOn: crds ? [crds.release] : undefined,
      }).ready;
    }
    // With the Gateway API, istiod deploys the ingress gateway for the Gateway object itself.
    if (!gatewayApi) {
      new IngressGateway(this, 'ingress-gateway', {
        version: env.istio.version,
        hub: env.istio.hub,
        chartRepository: env.istio.chartRepository,
        gateway: env.ingressGateway,
        // on the namespace's tag when there is one, so that moving the tag moves the gateway's pods too
        revision: env.istio.tag ?? env.istio.revision,
        loadBalancerIp: gke.gatewayAddress.address,
        dependsOn: controlPlane,
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
