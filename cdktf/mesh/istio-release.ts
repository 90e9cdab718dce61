import { Release } from '@cdktf/provider-helm/lib/release';
import type { ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';
import { stringify } from 'yaml';

/** Where Istio publishes its Helm charts. */
export const ISTIO_CHART_REPOSITORY = 'https://istio-release.storage.googleapis.com/charts';

export interface IstioReleaseProps {
  /** Helm release name; the charts name their objects after it. */
  readonly name: string;
  /** Chart in Istio's repository: base, istiod, cni or gateway. */
  readonly chart: string;
  /** Istio release, which is also the chart version. */
  readonly version: string;
  readonly namespace: string;
  /** Chart values, written into dist/ as YAML. */
  readonly values: Readonly<Record<string, unknown>>;
  /**
   * Single values known only at apply time (an address from another stack), as `--set` would give them.
   * @default - none
   */
  readonly set?: readonly { readonly name: string; readonly value: string }[];
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * One Istio chart as a Helm release: pinned to the Istio version, waiting until its workloads are ready, and
 * cleaning up after a failed upgrade so that the next `cdktf deploy` starts clean.
 */
export function istioRelease(scope: Construct, id: string, props: IstioReleaseProps): Release {
  return new Release(scope, id, {
    name: props.name,
    repository: ISTIO_CHART_REPOSITORY,
    chart: props.chart,
    version: props.version,
    namespace: props.namespace,
    createNamespace: true,
    wait: true,
    timeout: 600,
    cleanupOnFail: true,
    values: [stringify(props.values, { sortMapEntries: false })],
    set: props.set?.map((s) => ({ ...s })),
    dependsOn: props.dependsOn,
  });
}
