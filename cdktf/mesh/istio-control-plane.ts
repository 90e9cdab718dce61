import type { Release } from '@cdktf/provider-helm/lib/release';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { GKE_PLATFORM, GKE_PLATFORM_PROFILE } from './gke-platform-profile';
import { HA_REPLICAS, spreadAcrossNodes } from './high-availability';
import { istioRelease } from './istio-release';

export interface IstioControlPlaneProps {
  /** Istio release (and chart version, and image tag). */
  readonly version: string;
  /** Registry path of every image (`global.hub`). */
  readonly hub: string;
  /** The Helm repository of Istio's charts. */
  readonly chartRepository: string;
  /**
   * Control plane revision, for canary upgrades.
   * @default - the default revision
   */
  readonly revision?: string;
  /** Install the CNI node agent, so that pods need no privileged istio-init container. */
  readonly cni: boolean;
  /**
   * Namespace of the control plane.
   * @default 'istio-system'
   */
  readonly namespace?: string;
  /**
   * More Helm values of the istiod release (`global.proxy.resources`, `global.meshID`, ...), merged over the ones
   * this construct sets. Synth-time injection renders with the same values.
   * @default {}
   */
  readonly istiodValues?: Readonly<Record<string, unknown>>;
  /**
   * istiod's mesh config (the chart's `meshConfig` value): merged over the mesh config the chart writes.
   * @default {}
   */
  readonly meshConfig?: Readonly<Record<string, unknown>>;
  /**
   * What istiod must start after, such as the Gateway API CRDs (it watches only the kinds whose CRDs exist then).
   * @default []
   */
  readonly istiodDependsOn?: ITerraformDependable[];
}

/**
 * Open-source Istio from its official Helm charts, in install order: `base` (CRDs and cluster roles), `cni` (the node
 * agent that sets up traffic redirection) and `istiod` (pilot, CA and sidecar injector in one). Every chart gets
 * the GKE platform profile and the one hub. istiod runs highly available (two replicas at least, a
 * PodDisruptionBudget, spread across nodes), so that node upgrades never leave the mesh without it.
 */
export class IstioControlPlane extends Construct {
  /** The istiod release, which gateways and workloads wait for. */
  public readonly istiod: Release;

  constructor(scope: Construct, id: string, props: IstioControlPlaneProps) {
    super(scope, id);
    const namespace = props.namespace ?? 'istio-system';
    const revision = props.revision ? { revision: props.revision } : {};
    const global = { global: { platform: GKE_PLATFORM } };
    const chart = { repository: props.chartRepository, hub: props.hub, version: props.version };
    const base = istioRelease(this, 'Base', {
      ...chart,
      name: 'istio-base',
      chart: 'base',
      namespace,
      values: { ...global, ...(props.revision ? { defaultRevision: props.revision } : {}) },
    });
    const cni = props.cni
      ? istioRelease(this, 'Cni', {
          ...chart,
          name: 'istio-cni',
          chart: 'cni',
          namespace,
          values: { ...global, ...GKE_PLATFORM_PROFILE, ...revision },
          dependsOn: [base],
        })
      : undefined;
    this.istiod = istioRelease(this, 'Istiod', {
      ...chart,
      name: props.revision ? `istiod-${props.revision}` : 'istiod',
      chart: 'istiod',
      namespace,
      // The istiod chart reads the same `pilot` section as Istio's helm profiles (`--set pilot.cni.enabled=true`).
      // Its PodDisruptionBudget (`pdb`, minAvailable 1) exists only with more than one replica.
      values: mergeValues(
        {
          global: { ...global.global, defaultPodDisruptionBudget: { enabled: true } },
          ...revision,
          pilot: {
            cni: { enabled: props.cni },
            autoscaleMin: HA_REPLICAS,
            replicaCount: HA_REPLICAS,
            topologySpreadConstraints: spreadAcrossNodes(
              props.revision ? { app: 'istiod', 'istio.io/rev': props.revision } : { app: 'istiod', istio: 'pilot' },
            ),
          },
          pdb: { minAvailable: 1 },
        },
        {
          ...(props.istiodValues ?? {}),
          ...(props.meshConfig && Object.keys(props.meshConfig).length > 0 ? { meshConfig: props.meshConfig } : {}),
        },
      ),
      dependsOn: [base, ...(cni ? [cni] : []), ...(props.istiodDependsOn ?? [])],
    });
  }
}

/** Helm's merge of two values maps: maps merge key by key, anything else is replaced. */
function mergeValues(base: Readonly<Record<string, unknown>>, over: Readonly<Record<string, unknown>>) {
  const out: Record<string, unknown> = { ...base };
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  for (const [key, value] of Object.entries(over)) {
    out[key] = isMap(value) && isMap(out[key]) ? mergeValues(out[key] as Record<string, unknown>, value) : value;
  }
  return out;
}
