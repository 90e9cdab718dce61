/**
 * Istio 1.30.3's `ambient` profile (manifests/helm-profiles/profile-ambient.yaml), which `--set profile=ambient`
 * merges under a chart's defaults. It is written out rather than named, so that reviewers see in dist/ what each
 * release gets, and a test compares it with the release's file:
 * - istiod: `PILOT_ENABLE_AMBIENT`, and the mesh config that turns on HBONE in proxies (waypoints, gateways);
 * - cni: `ambient.enabled`, so the node agent redirects ambient pods' traffic to ztunnel;
 * - every chart: the `distroless` image variant.
 */
export const AMBIENT_PROFILE = {
  meshConfig: {
    defaultConfig: { proxyMetadata: { ISTIO_META_ENABLE_HBONE: 'true' } },
    serviceScopeConfigs: [
      {
        servicesSelector: { matchExpressions: [{ key: 'istio.io/global', operator: 'In', values: ['true'] }] },
        scope: 'GLOBAL',
      },
    ],
  },
  global: { variant: 'distroless' },
  pilot: { env: { PILOT_ENABLE_AMBIENT: 'true' } },
  cni: { ambient: { enabled: true } },
} as const;
