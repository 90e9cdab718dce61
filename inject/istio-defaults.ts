/**
 * What the injector fixes itself, besides the release's values and mesh config (injection-settings.ts): the release
 * whose template and post-processing it reproduces, and the constants Istio's code (not its chart) sets.
 */

/** The Istio release whose injection template and post-processing this injector reproduces. */
export const ISTIO_RELEASE = '1.30.3';

/** `istioctl kube-inject`'s proxy image in a release build: `<hub>/proxyv2:<tag>`. */
export const DEFAULT_PROXY_IMAGE = `docker.io/istio/proxyv2:${ISTIO_RELEASE}`;

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
