import type { Manifest } from '../../kube/object';
import { isWaypoint } from '../../kube/ambient';

/** The annotation that orders Argo CD's sync: lower waves are applied, and healthy, before higher ones. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** A sync wave and the kinds in it. */
export interface SyncWave {
  readonly wave: number;
  readonly kinds: readonly string[];
  /** Why these kinds go in this wave. */
  readonly reason: string;
}

/**
 * The sync waves, by kind. Kinds not listed (ServiceAccounts, Services, Deployments, ConfigMaps...) go in
 * WORKLOAD_WAVE.
 */
export const SYNC_WAVES: readonly SyncWave[] = [
  { wave: 0, kinds: ['Namespace'], reason: 'everything else lands in it' },
  {
    wave: 1,
    kinds: [
      'PeerAuthentication',
      'AuthorizationPolicy',
      'RequestAuthentication',
      'Sidecar',
      'Telemetry',
      'EnvoyFilter',
    ],
    reason: 'mTLS, deny-by-default authorization and proxy settings are in force before any workload starts',
  },
  // WORKLOAD_WAVE (2): ServiceAccounts, Services, Deployments and every kind not listed here
  {
    wave: 3,
    kinds: ['DestinationRule', 'ServiceEntry'],
    reason: 'subsets and hosts exist before a route names them (Istio: update destination rules first)',
  },
  {
    wave: 4,
    // Istio's Gateway and the Gateway API's share the kind name.
    kinds: ['Gateway', 'VirtualService', 'HTTPRoute', 'GRPCRoute'],
    reason: 'traffic is routed only once workloads and subsets are there',
  },
];

/** The wave of workloads and of every kind that SYNC_WAVES does not list. */
export const WORKLOAD_WAVE = 2;

const WAVE_OF_KIND = new Map(SYNC_WAVES.flatMap(({ wave, kinds }) => kinds.map((kind) => [kind, wave] as const)));

/** The sync wave of an object of this kind. */
export function syncWaveOf(kind: string): number {
  return WAVE_OF_KIND.get(kind) ?? WORKLOAD_WAVE;
}

/**
 * The wave of a waypoint (a Gateway API Gateway of class istio-waypoint): with the authorization policies, since it
 * enforces the L7 ones and the L4 ones let only it through, and before the Services that name it.
 */
export const WAYPOINT_WAVE = 1;

/**
 * Copies of the objects with their Argo CD sync wave annotated by kind. An object that already has a sync wave keeps
 * it: a chart that sets one means it.
 */
export function withSyncWaves(manifests: readonly Manifest[]): Manifest[] {
  return manifests.map((manifest) => {
    const annotations = (manifest.metadata.annotations ?? {}) as Record<string, string>;
    if (SYNC_WAVE_ANNOTATION in annotations) return manifest;
    const metadata = {
      ...manifest.metadata,
      annotations: {
        ...annotations,
        [SYNC_WAVE_ANNOTATION]: String(isWaypoint(manifest) ? WAYPOINT_WAVE : syncWaveOf(manifest.kind)),
      },
    };
    // keys in order, as cdk8s writes them
    return { ...manifest, metadata: Object.fromEntries(Object.entries(metadata).sort(([x], [y]) => (x < y ? -1 : 1))) };
  });
}
