/** The `global.platform` value that makes Istio's charts apply their GKE platform profile. */
export const GKE_PLATFORM = 'gke';

/**
 * Istio 1.30.3's GKE platform profile (manifests/helm-profiles/platform-gke.yaml), which each chart merges under its
 * defaults when `global.platform` is `gke`. It is written out here as well, so that reviewers see in dist/ what it
 * sets, and a test compares it with the release's file:
 * - `cni.cniBinDir` empty, so that the CNI chart detects GKE's CNI binary folder (/home/kubernetes/bin) itself;
 * - `resourceQuotas.enabled`, because GKE admits `system-node-critical` pods (the CNI node agent) only in
 *   namespaces with a ResourceQuota for that priority class, and the agent runs in istio-system.
 */
export const GKE_PLATFORM_PROFILE = {
  cni: { cniBinDir: '', resourceQuotas: { enabled: true } },
  resourceQuotas: { enabled: true },
} as const;
