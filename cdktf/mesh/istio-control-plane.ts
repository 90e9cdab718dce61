import type { Release } from '@cdktf/provider-helm/lib/release';
import { Construct } from 'constructs';
import { GKE_PLATFORM, GKE_PLATFORM_PROFILE } from './gke-platform-profile';
import { istioRelease } from './istio-release';

export interface IstioControlPlaneProps {
  /** Istio release (and chart version). */
  readonly version: string;
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
}

/**
 * Open-source Istio from its official Helm charts, in install order: `base` (CRDs and cluster roles), `cni` (the node
 * agent that sets up traffic redirection) and `istiod` (pilot, CA and sidecar injector in one). Every chart gets
 * the GKE platform profile.
 */
export class IstioControlPlane extends Construct {
  /** The istiod release, which gateways and workloads wait for. */
  public readonly istiod: Release;

  constructor(scope: Construct, id: string, props: IstioControlPlaneProps) {
    super(scope, id);
    const namespace = props.namespace ?? 'istio-system';
    const revision = props.revision ? { revision: props.revision } : {};
    const global = { global: { platform: GKE_PLATFORM } };
    const base = istioRelease(this, 'Base', {
      name: 'istio-base',
      chart: 'base',
      version: props.version,
      namespace,
      values: { ...global, ...(props.revision ? { defaultRevision: props.revision } : {}) },
    });
    const cni = props.cni
      ? istioRelease(this, 'Cni', {
          name: 'istio-cni',
          chart: 'cni',
          version: props.version,
          namespace,
          values: { ...global, ...GKE_PLATFORM_PROFILE, ...revision },
          dependsOn: [base],
        })
      : undefined;
    this.istiod = istioRelease(this, 'Istiod', {
      name: props.revision ? `istiod-${props.revision}` : 'istiod',
      chart: 'istiod',
      version: props.version,
      namespace,
      // The istiod chart reads the same `pilot` section as Istio's helm profiles (`--set pilot.cni.enabled=true`).
      values: { ...global, ...revision, pilot: { cni: { enabled: props.cni } } },
      dependsOn: cni ? [base, cni] : [base],
    });
  }
}
