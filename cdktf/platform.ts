import type { Environment, MeshMode } from '../config';

/** The Google APIs each mesh mode needs enabled in the project. */
export function requiredApis(mode: MeshMode): string[] {
  const apis = [
    'compute.googleapis.com',
    'container.googleapis.com',
    'iam.googleapis.com',
    'cloudresourcemanager.googleapis.com',
    'logging.googleapis.com',
    'monitoring.googleapis.com',
    'binaryauthorization.googleapis.com',
  ];
  // Fleet registration and the managed control plane.
  if (mode === 'cloud-service-mesh') apis.push('gkehub.googleapis.com', 'mesh.googleapis.com');
  return apis;
}

/** Printed by every synth of a `gke-istio-addon` environment (and by `cdktf synth`, as a stack warning). */
export const GKE_ISTIO_ADDON_WARNING =
  'mesh.mode "gke-istio-addon": GKE no longer accepts the Istio add-on (addons_config.istio_config, "Istio on GKE"); ' +
  'it survives only in the google-beta provider, and its plan fails on a precondition before anything is created. ' +
  'Its replacements are mesh.mode "istio-helm" (open-source Istio from the official Helm charts, the default) and ' +
  '"cloud-service-mesh" (Google\'s managed successor, through fleet registration). The Kubernetes output targets ' +
  "Istio 1.30, not the add-on's last control plane (Istio 1.6), which reads neither networking.istio.io/v1 nor " +
  'security.istio.io/v1 and does not rewrite startup probes: it would not apply there as written.';

/**
 * A public endpoint that admits no one cannot be reached by kubectl (nor by Helm, when a mesh stack installs the
 * control plane).
 */
export function unreachableControlPlaneWarning(stackId: string, hasMeshStack: boolean): string {
  const clients = hasMeshStack ? "kubectl and the mesh stack's Helm releases" : 'kubectl';
  return (
    `${stackId}: cluster.masterAuthorizedNetworks is empty, so the control plane admits no client from outside ` +
    `Google Cloud and ${clients} cannot reach it. List the networks you deploy from (for example your address as ` +
    'a /32) in cluster.masterAuthorizedNetworks.' +
    (hasMeshStack ? ' Until then `cdktf deploy` stops at plan, on a precondition, before it creates anything.' : '')
  );
}

/**
 * The image name patterns Binary Authorization admits for an environment: its hubs (Istio's, Bookinfo's, the
 * proxy image's), what the mesh mode's managed parts pull, and `cluster.admittedImages`. GKE's system images are
 * admitted by Google's global policy.
 */
export function admittedImagePatterns(env: Environment): string[] {
  const hubOf = (image: string) => image.replace(/[:@][^/]*$/, '').replace(/\/[^/]+$/, '');
  const hubs = [env.istio.hub, env.bookinfo.registry, hubOf(env.injection.proxyImage)].map((hub) => `${hub}/*`);
  // Cloud Service Mesh's managed data plane injects Google's proxy builds.
  const managed = env.mesh.mode === 'cloud-service-mesh' ? ['gcr.io/gke-release/asm/*'] : [];
  return [...new Set([...hubs, ...managed, ...env.cluster.admittedImages])].sort();
}

/** Why the GKE add-on cannot be deployed, as the plan-time precondition says it. */
export const GKE_ISTIO_ADDON_PRECONDITION =
  'mesh.mode is "gke-istio-addon", which GKE no longer accepts: creating the cluster would fail at the GKE API ' +
  'after the network, NAT and service account exist. Set mesh.mode to "istio-helm" (open-source Istio from its ' +
  'Helm charts) or "cloud-service-mesh" in config/environments.ts, then deploy again.';

/** Why a mesh stack cannot reach a cluster that admits no one, as the plan-time precondition says it. */
export function unreachableControlPlanePrecondition(environment: string): string {
  return (
    `environment "${environment}": the control plane's public endpoint admits no one ` +
    "(cluster.masterAuthorizedNetworks is empty and cluster.privateEndpoint is false), so the mesh stack's Helm " +
    'releases could never reach the cluster. Fix: list the networks you deploy from in ' +
    "cluster.masterAuthorizedNetworks (for example { cidrBlock: '203.0.113.7/32', displayName: 'my laptop' }), or " +
    'set cluster.privateEndpoint: true and deploy from inside the VPC; then deploy again.'
  );
}
