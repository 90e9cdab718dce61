import type { MeshMode } from '../config';

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
  'it survives only in the google-beta provider, and creating this cluster fails at the GKE API. Its replacements ' +
  'are mesh.mode "istio-helm" (open-source Istio from the official Helm charts, the default) and ' +
  '"cloud-service-mesh" (Google\'s managed successor, through fleet registration).';

/**
 * A public endpoint that admits no one cannot be reached by kubectl (nor by Helm, when a mesh stack installs the
 * control plane).
 */
export function unreachableControlPlaneWarning(stackId: string, hasMeshStack: boolean): string {
  const clients = hasMeshStack ? 'kubectl and the mesh stack\'s Helm releases' : 'kubectl';
  return (
    `${stackId}: cluster.masterAuthorizedNetworks is empty, so the control plane admits no client from outside ` +
    `Google Cloud and ${clients} cannot reach it. List the networks you deploy from (for example your address as ` +
    'a /32) in cluster.masterAuthorizedNetworks.'
  );
}
