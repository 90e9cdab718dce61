/**
 * What the injector fixes itself, besides the release's values and mesh config (injection-settings.ts): the release
 * whose template and post-processing it reproduces, and the constants Istio's code (not its chart) sets.
 */

/**
 * The minors whose injection template and post-processing this injector reproduces, and the release each one's data
 * (chart values and templates, inject/istio-<minor>-*.json) was generated from. Within a minor the template renders
 * the same sidecar for every patch; only the image tag follows the patch.
 */
export const INJECTOR_RELEASES = { '1.29': '1.29.6', '1.30': '1.30.3', '1.31': '1.31.0' } as const;
export type InjectorMinor = keyof typeof INJECTOR_RELEASES;
export const INJECTOR_MINORS = Object.keys(INJECTOR_RELEASES) as InjectorMinor[];

/** The release kube-inject reproduces when it is not told one. */
export const ISTIO_RELEASE = INJECTOR_RELEASES['1.30'];

/** `istioctl kube-inject`'s proxy image in a release build: `<hub>/proxyv2:<tag>`. */
export const DEFAULT_PROXY_IMAGE = `docker.io/istio/proxyv2:${ISTIO_RELEASE}`;

/** The minor of an Istio version (`1.30` of `1.30.5`), if this injector reproduces it; else an error saying which do. */
export function injectorMinor(version: string): InjectorMinor {
  const minor = version.split('.').slice(0, 2).join('.');
  if (!/^\d+\.\d+\.\d+$/.test(version) || !Object.hasOwn(INJECTOR_RELEASES, minor)) {
    throw new Error(
      `Istio ${JSON.stringify(version)}: the sidecar injector reproduces the injection of Istio ${INJECTOR_MINORS.join(', ')} ` +
        '(a version such as 1.30.5)',
    );
  }
  return minor as InjectorMinor;
}

/** Whether `minor` is at least `than` (`1.31` of `1.30`). */
export function minorAtLeast(minor: InjectorMinor, than: InjectorMinor): boolean {
  return Number(minor.split('.')[1]) >= Number(than.split('.')[1]);
}

/** Where istiod runs (the chart's `global.istioNamespace`, which its mesh config's discovery address names). */
export const ISTIO_NAMESPACE = 'istio-system';
/** The cluster id when `global.multiCluster.clusterName` is empty. */
export const CLUSTER_ID = 'Kubernetes';

/** Port of the agent's status server (mesh defaultConfig.statusPort). */
export const STATUS_PORT = 15020;
/** Envoy's readiness port, fixed in the template. */
export const PROXY_READINESS_PORT = 15021;
export const PROXY_UID = 1337;

/** Namespaces that sidecar injection always skips (istio's IgnoredNamespaces). */
export const IGNORED_NAMESPACES: ReadonlySet<string> = new Set([
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'local-path-storage',
]);
