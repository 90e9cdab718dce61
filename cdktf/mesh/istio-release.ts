import { Release } from '@cdktf/provider-helm/lib/release';
import type { ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';
import { stringify } from 'yaml';
import { yamlDocument, yamlFoldsLines, type YamlWriterOptions } from '../../kube/yaml-writer';

export interface IstioReleaseProps {
  /** The Helm repository of Istio's charts (HTTP, or OCI as `oci://...`). */
  readonly repository: string;
  /** Registry path every image of the chart comes from (`global.hub`); the chart version is the tag (`global.tag`). */
  readonly hub: string;
  /** Helm release name; the charts name their objects after it. */
  readonly name: string;
  /** Chart in Istio's repository: base, istiod, cni or gateway. */
  readonly chart: string;
  /** Istio release, which is also the chart version. */
  readonly version: string;
  readonly namespace: string;
  /** Chart values, written into dist/ as YAML; `global.hub` and `global.tag` are set from `hub` and `version`. */
  readonly values: Readonly<Record<string, unknown>>;
  /**
   * Single values known only at apply time (an address from another stack), as `--set` would give them.
   * @default - none
   */
  readonly set?: readonly { readonly name: string; readonly value: string }[];
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * One Istio chart as a Helm release: pinned to the Istio version, its images from the one hub at that version,
 * waiting until its workloads are ready (on install, and on uninstall until its objects are gone: a LoadBalancer
 * Service is deleted only once GKE has removed its forwarding rule), and cleaning up after a failed upgrade so that
 * the next `cdktf deploy` starts clean.
 */
export function istioRelease(scope: Construct, id: string, props: IstioReleaseProps): Release {
  if (!props.repository.startsWith('https://') && !props.repository.startsWith('oci://')) {
    throw new Error(`chart repository ${JSON.stringify(props.repository)} must be an https:// or oci:// address`);
  }
  const { global, ...rest } = props.values as { global?: Record<string, unknown> };
  const values = { global: { hub: props.hub, tag: props.version, ...global }, ...rest };
  return new Release(scope, id, {
    name: props.name,
    repository: props.repository,
    chart: props.chart,
    version: props.version,
    namespace: props.namespace,
    createNamespace: true,
    wait: true,
    timeout: 600,
    cleanupOnFail: true,
    values: [helmValuesYaml(values)],
    set: props.set?.map((s) => ({ ...s })),
    dependsOn: props.dependsOn,
  });
}

/** The `yaml` package's defaults (YAML 1.2, undefined left out), as the values have always been written. */
const HELM_VALUES_YAML: YamlWriterOptions = { version: '1.2', keepUndefined: false };

/**
 * Chart values as the `yaml` package's `stringify` writes them with its defaults: by our writer (the same bytes,
 * several times faster) unless a scalar is long enough for `yaml` to fold it at its 80 columns, which ours never does.
 */
export function helmValuesYaml(values: unknown): string {
  return yamlFoldsLines(values, HELM_VALUES_YAML) ? stringify(values) : yamlDocument(values, HELM_VALUES_YAML);
}
