import type { Release } from '@cdktf/provider-helm/lib/release';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AMBIENT_PROFILE } from '../../config/ambient-profile';
import { mergeValues } from '../../config/helm-values';
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
   * Run the ambient data plane: the cni chart in ambient mode and the `ztunnel` chart, after an istiod whose
   * `istiodValues` enable ambient (istiodSettings of an ambient environment). Needs `cni`.
   * @default false
   */
  readonly ambient?: boolean;
  /**
   * More Helm values of the ztunnel release (`global.network`, `global.multiCluster`). Only with `ambient`.
   * @default {}
   */
  readonly ztunnelValues?: Readonly<Record<string, unknown>>;
  /**
   * What the control plane waits for before its first chart, such as the install of the Gateway API CRDs (istiod
   * watches Gateways; an ambient mesh's waypoints are Gateways).
   * @default - nothing
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * Open-source Istio from its official Helm charts, in install order: `base` (CRDs and cluster roles), `cni` (the node
 * agent that sets up traffic redirection) and `istiod` (pilot, CA and sidecar injector in one). With `ambient`, in
 * the order Istio's Helm guide for ambient gives: base, istiod, cni (in ambient mode), then `ztunnel`. Every chart
 * gets the GKE platform profile (with it, the cni and ztunnel charts write the ResourceQuota for
 * `system-node-critical` pods that GKE requires outside kube-system) and the one hub. istiod runs highly available (two replicas at least, a
 * PodDisruptionBudget, spread across nodes), so that node upgrades never leave the mesh without it.
 */
export class IstioControlPlane extends Construct {
  /** The istiod release. */
  public readonly istiod: Release;
  /** The ztunnel release of an ambient control plane. */
  public readonly ztunnel?: Release;
  /** The release installed last, which gateways and workloads wait for. */
  public readonly ready: Release;

  constructor(scope: Construct, id: string, props: IstioControlPlaneProps) {
    super(scope, id);
    const ambient = props.ambient ?? false;
    const pilotEnv = (props.istiodValues?.pilot as { env?: Record<string, unknown> } | undefined)?.env;
    if (ambient && !props.cni) {
      throw new Error(`IstioControlPlane "${id}": ambient needs cni = true: the CNI node agent redirects to ztunnel`);
    }
    if (ambient !== (pilotEnv?.PILOT_ENABLE_AMBIENT === 'true')) {
      throw new Error(
        `IstioControlPlane "${id}": ambient = ${ambient} but istiodValues.pilot.env.PILOT_ENABLE_AMBIENT = ` +
          `${JSON.stringify(pilotEnv?.PILOT_ENABLE_AMBIENT)}; give istiod the values of the same data plane`,
      );
    }
    if (!ambient && props.ztunnelValues) {
      throw new Error(`IstioControlPlane "${id}": ztunnelValues given without ambient, which alone installs ztunnel`);
    }
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
      dependsOn: props.dependsOn && [...props.dependsOn],
    });
    const cniRelease = (dependsOn: ITerraformDependable[]) =>
      istioRelease(this, 'Cni', {
        ...chart,
        name: 'istio-cni',
        chart: 'cni',
        namespace,
        values: mergeValues(
          global,
          GKE_PLATFORM_PROFILE,
          revision,
          ambient ? { global: AMBIENT_PROFILE.global, cni: AMBIENT_PROFILE.cni } : {},
        ),
        dependsOn,
      });
    // Sidecars: the node agent before istiod, whose injected pods rely on it. Ambient: after istiod (Istio's order).
    const cni = props.cni && !ambient ? cniRelease([base]) : undefined;
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
      dependsOn: cni ? [base, cni] : [base],
    });
    this.ready = this.istiod;
    if (ambient) {
      const ambientCni = cniRelease([this.istiod]);
      this.ztunnel = istioRelease(this, 'Ztunnel', {
        ...chart,
        name: 'ztunnel',
        chart: 'ztunnel',
        namespace,
        // ztunnel's chart reads the platform profile's top-level `resourceQuotas` (its own ResourceQuota).
        values: mergeValues(global, GKE_PLATFORM_PROFILE, revision, props.ztunnelValues ?? {}),
        dependsOn: [ambientCni],
      });
      this.ready = this.ztunnel;
    }
  }
}
