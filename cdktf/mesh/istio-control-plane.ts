import type { Release } from '@cdktf/provider-helm/lib/release';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AMBIENT_PROFILE } from '../../config/ambient-profile';
import { mergeValues } from '../../config/helm-values';
import { compareVersions } from '../../kube/versions';
import { GKE_PLATFORM, GKE_PLATFORM_PROFILE } from './gke-platform-profile';
import { HA_REPLICAS, spreadAcrossNodes } from './high-availability';
import { istioRelease } from './istio-release';

/** One istiod release: a revision at its Istio release. */
export interface IstiodRevisionProps {
  /**
   * Revision name (`istio.io/rev`).
   * @default - the default revision (only when it is the one istiod)
   */
  readonly revision?: string;
  /** Istio release (and chart version, and image tag) of this istiod. */
  readonly version: string;
  /**
   * Revision tags pointing at this revision (the chart's `revisionTags`): a mutating webhook per tag that injects
   * namespaces labelled `istio.io/rev: <tag>` with this revision.
   * @default []
   */
  readonly revisionTags?: readonly string[];
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
}

export interface IstioControlPlaneProps {
  /** Registry path of every image (`global.hub`). */
  readonly hub: string;
  /** The Helm repository of Istio's charts. */
  readonly chartRepository: string;
  /**
   * The istiod releases, one per revision: one for a plain install, two side by side during a canary upgrade. The
   * `base` and `cni` charts are installed once, at the newest of their releases.
   */
  readonly revisions: readonly IstiodRevisionProps[];
  /**
   * The revision Istio's validation webhook (the base chart's `defaultRevision`) sends to.
   * @default - the only revision's, if one is named
   */
  readonly defaultRevision?: string;
  /** Install the CNI node agent, so that pods need no privileged istio-init container. */
  readonly cni: boolean;
  /**
   * Name each istiod's construct after its revision (`Istiod-<revision>`), so that adding or removing a revision
   * leaves the others' Terraform addresses in place. Off, the one istiod keeps the id `Istiod`.
   * @default false
   */
  readonly idsByRevision?: boolean;
  /**
   * Namespace of the control plane.
   * @default 'istio-system'
   */
  readonly namespace?: string;
  /**
   * Run the ambient data plane: the cni chart in ambient mode and the `ztunnel` chart, after the istiods, whose
   * `istiodValues` must enable ambient (istiodSettings of an ambient environment). Needs `cni`.
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
   * watches only the kinds whose CRDs exist when it starts; an ambient mesh's waypoints are Gateways).
   * @default - nothing
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * Open-source Istio from its official Helm charts, in install order: `base` (CRDs and cluster roles), `cni` (the node
 * agent that sets up traffic redirection) and one `istiod` (pilot, CA and sidecar injector in one) per revision, each
 * with the revision tags pointing at it. With `ambient`, in the order Istio's Helm guide for ambient gives: base,
 * istiod, cni (in ambient mode), then `ztunnel`. Every chart gets the GKE platform profile (with it, the cni and
 * ztunnel charts write the ResourceQuota for `system-node-critical` pods that GKE requires outside kube-system) and
 * the one hub. istiod runs highly available (two replicas at least, a PodDisruptionBudget, spread across nodes), so
 * that node upgrades never leave the mesh without it.
 */
export class IstioControlPlane extends Construct {
  /** The istiod releases, one per revision. */
  public readonly istiod: Release[];
  /** The ztunnel release of an ambient control plane. */
  public readonly ztunnel?: Release;
  /** The releases installed last, which gateways and workloads wait for. */
  public readonly ready: Release[];

  constructor(scope: Construct, id: string, props: IstioControlPlaneProps) {
    super(scope, id);
    if (props.revisions.length === 0) throw new Error('revisions: give at least one istiod release');
    const names = props.revisions.map((r) => r.revision);
    if (props.revisions.length > 1 && names.some((n) => n === undefined)) {
      throw new Error('revisions: with several istiod releases each needs a revision name');
    }
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined) throw new Error(`revisions: revision ${duplicate} is given twice; each revision once`);
    const ambient = props.ambient ?? false;
    if (ambient && !props.cni) {
      throw new Error(`IstioControlPlane "${id}": ambient needs cni = true: the CNI node agent redirects to ztunnel`);
    }
    for (const r of props.revisions) {
      const pilotEnv = (r.istiodValues?.pilot as { env?: Record<string, unknown> } | undefined)?.env;
      if (ambient !== (pilotEnv?.PILOT_ENABLE_AMBIENT === 'true')) {
        throw new Error(
          `IstioControlPlane "${id}": ambient = ${ambient} but istiodValues.pilot.env.PILOT_ENABLE_AMBIENT = ` +
            `${JSON.stringify(pilotEnv?.PILOT_ENABLE_AMBIENT)} for revision ${r.revision ?? 'default'}; give ` +
            'istiod the values of the same data plane',
        );
      }
    }
    if (!ambient && props.ztunnelValues) {
      throw new Error(`IstioControlPlane "${id}": ztunnelValues given without ambient, which alone installs ztunnel`);
    }
    const namespace = props.namespace ?? 'istio-system';
    const global = { global: { platform: GKE_PLATFORM } };
    // CRDs and the node agent are shared by the revisions: the newest release's (both are backward compatible)
    const newest = [...props.revisions].sort((a, b) => compareVersions(b.version, a.version))[0].version;
    const shared = { repository: props.chartRepository, hub: props.hub, version: newest };
    const defaultRevision = props.defaultRevision ?? (props.revisions.length === 1 ? names[0] : undefined);
    const base = istioRelease(this, 'Base', {
      ...shared,
      name: 'istio-base',
      chart: 'base',
      namespace,
      values: { ...global, ...(defaultRevision ? { defaultRevision } : {}) },
      dependsOn: props.dependsOn && [...props.dependsOn],
    });
    // the one revision's node agents (as before revisions); with several they are shared and on none
    const agentRevision =
      !props.idsByRevision && props.revisions.length === 1 && names[0] ? { revision: names[0] } : {};
    const cniRelease = (dependsOn: ITerraformDependable[]) =>
      istioRelease(this, 'Cni', {
        ...shared,
        name: 'istio-cni',
        chart: 'cni',
        namespace,
        values: mergeValues(
          global,
          GKE_PLATFORM_PROFILE,
          agentRevision,
          ambient ? { global: AMBIENT_PROFILE.global, cni: AMBIENT_PROFILE.cni } : {},
        ),
        dependsOn,
      });
    // Sidecars: the node agent before istiod, whose injected pods rely on it. Ambient: after istiod (Istio's order).
    const cni = props.cni && !ambient ? cniRelease([base]) : undefined;
    this.istiod = props.revisions.map((r) => {
      const revision = r.revision ? { revision: r.revision } : {};
      const tags = r.revisionTags && r.revisionTags.length > 0 ? { revisionTags: [...r.revisionTags] } : {};
      const releaseId = props.idsByRevision && r.revision ? `Istiod-${r.revision}` : 'Istiod';
      if (releaseId === 'Istiod' && props.revisions.length > 1) {
        throw new Error('idsByRevision: several istiod releases need an id each; set it');
      }
      return istioRelease(this, releaseId, {
        repository: props.chartRepository,
        hub: props.hub,
        version: r.version,
        name: r.revision ? `istiod-${r.revision}` : 'istiod',
        chart: 'istiod',
        namespace,
        // The istiod chart reads the same `pilot` section as Istio's helm profiles (`--set pilot.cni.enabled=true`).
        // Its PodDisruptionBudget (`pdb`, minAvailable 1) exists only with more than one replica.
        values: mergeValues(
          {
            global: { ...global.global, defaultPodDisruptionBudget: { enabled: true } },
            ...revision,
            ...tags,
            pilot: {
              cni: { enabled: props.cni },
              autoscaleMin: HA_REPLICAS,
              replicaCount: HA_REPLICAS,
              topologySpreadConstraints: spreadAcrossNodes(
                r.revision ? { app: 'istiod', 'istio.io/rev': r.revision } : { app: 'istiod', istio: 'pilot' },
              ),
            },
            pdb: { minAvailable: 1 },
          },
          {
            ...(r.istiodValues ?? {}),
            ...(r.meshConfig && Object.keys(r.meshConfig).length > 0 ? { meshConfig: r.meshConfig } : {}),
          },
        ),
        dependsOn: cni ? [base, cni] : [base],
      });
    });
    this.ready = this.istiod;
    if (ambient) {
      const ambientCni = cniRelease(this.istiod);
      this.ztunnel = istioRelease(this, 'Ztunnel', {
        ...shared,
        name: 'ztunnel',
        chart: 'ztunnel',
        namespace,
        // ztunnel's chart reads the platform profile's top-level `resourceQuotas` (its own ResourceQuota).
        values: mergeValues(global, GKE_PLATFORM_PROFILE, agentRevision, props.ztunnelValues ?? {}),
        dependsOn: [ambientCni],
      });
      this.ready = [this.ztunnel];
    }
  }
}
