/**
 * The inputs `istioctl kube-inject` of Istio 1.30.3 renders its sidecar template with, when the control plane was
 * installed with default values: `.Values` from istio-discovery-values.yaml (release build: hub docker.io/istio,
 * tag 1.30.3) and the default mesh config. Everything the injector emits that is not derived from the pod comes from
 * here, so a reviewer can check each value against ../shared/reference/istio-1.30.3/ in one place.
 */

/** The Istio release whose injection template and post-processing this injector reproduces. */
export const ISTIO_RELEASE = '1.30.3';

/** `istioctl kube-inject`'s proxy image in a release build: `<hub>/proxyv2:<tag>`. */
export const DEFAULT_PROXY_IMAGE = `docker.io/istio/proxyv2:${ISTIO_RELEASE}`;

export const ISTIO_NAMESPACE = 'istio-system'; // global.istioNamespace
export const CLUSTER_DOMAIN = 'cluster.local'; // global.proxy.clusterDomain
export const TRUST_DOMAIN = 'cluster.local'; // meshConfig.trustDomain (mesh default); also the mesh id
export const CLUSTER_ID = 'Kubernetes'; // global.multiCluster.clusterName is empty
export const PILOT_CERT_PROVIDER = 'istiod'; // global.pilotCertProvider
export const TOKEN_AUDIENCE = 'istio-ca'; // global.sds.token.aud

/** Port of the agent's status server (mesh defaultConfig.statusPort and global.proxy.statusPort). */
export const STATUS_PORT = 15020;
/** Envoy's readiness port, fixed in the template. */
export const PROXY_READINESS_PORT = 15021;
export const PROXY_UID = 1337;

/** global.proxy.resources, used unless a proxyCPU/proxyMemory(Limit) annotation is set. */
export const PROXY_RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '2000m', memory: '1024Mi' },
} as const;

/** global.proxy readiness and startup probe settings. */
export const READINESS = { initialDelaySeconds: 0, periodSeconds: 15, failureThreshold: 4 } as const;
export const STARTUP_FAILURE_THRESHOLD = 600;

/** global.proxy.logLevel, componentLogLevel and global.logging.level. */
export const LOG_LEVELS = { proxy: 'warning', component: 'misc:error', agent: 'default:info' } as const;

/** global.proxy traffic capture defaults. */
export const TRAFFIC_DEFAULTS = {
  includeIPRanges: '*',
  excludeIPRanges: '',
  includeInboundPorts: '*',
  excludeInboundPorts: '',
  includeOutboundPorts: '',
  excludeOutboundPorts: '',
} as const;

/** Mesh default ProxyConfig values that `PROXY_CONFIG` leaves out (istio's cleanProxyConfig). */
export const PROXY_CONFIG_DEFAULTS = {
  drainDuration: '45s',
  terminationDrainDuration: '5s',
  discoveryAddress: `istiod.${ISTIO_NAMESPACE}.svc:15012`,
} as const;

/** Namespaces that sidecar injection always skips (istio's IgnoredNamespaces). */
export const IGNORED_NAMESPACES: ReadonlySet<string> = new Set([
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'local-path-storage',
]);

/** The istiod address of a control plane revision: `istiod[-<revision>].istio-system.svc:15012`. */
export function istiodAddress(revision: string | undefined): string {
  return `istiod${revision ? `-${revision}` : ''}.${ISTIO_NAMESPACE}.svc:15012`;
}
