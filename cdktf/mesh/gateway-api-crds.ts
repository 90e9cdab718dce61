import * as fs from 'node:fs';
import * as path from 'node:path';
import { Release } from '@cdktf/provider-helm/lib/release';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { parse } from 'yaml';

export interface GatewayApiCrdsProps {
  /** The Gateway API release, for example `v1.5.1`: the chart's `appVersion` must say the same. */
  readonly release: string;
  /** The folder of the project's chart of that release's standard CRDs (Chart.yaml, templates/). */
  readonly chartDir: string;
  /**
   * Namespace that keeps the Helm release's record (the CRDs themselves are cluster-scoped).
   * @default 'istio-system'
   */
  readonly namespace?: string;
}

/**
 * The Kubernetes Gateway API's standard CRDs, installed as a Helm release of the project's own chart (the CRDs as its
 * template, so that a new release upgrades them, which a chart's crds/ folder never does). The chart is copied into
 * the stack's output as a Terraform asset, so that the plan reads it from there, offline and wherever it is applied.
 * istiod must come after it: it watches only the Gateway API kinds whose CRDs exist when it starts. The chart marks
 * each CRD `helm.sh/resource-policy: keep` (as Istio's base chart does its own), so that uninstalling the release
 * never deletes every Gateway and route in the cluster with them.
 */
export class GatewayApiCrds extends Construct {
  public readonly release: Release;

  constructor(scope: Construct, id: string, props: GatewayApiCrdsProps) {
    super(scope, id);
    const chartFile = path.join(props.chartDir, 'Chart.yaml');
    if (!fs.existsSync(chartFile)) {
      throw new Error(
        `no chart of the Gateway API ${props.release} CRDs at ${props.chartDir}: run \`npm run schemas\`, which writes it`,
      );
    }
    const chart = parse(fs.readFileSync(chartFile, 'utf8')) as { appVersion?: string; version?: string };
    if (chart.appVersion !== props.release) {
      throw new Error(
        `the chart at ${props.chartDir} holds the Gateway API ${String(chart.appVersion)} CRDs, not ${props.release}`,
      );
    }
    const asset = new TerraformAsset(this, 'Chart', { path: props.chartDir, type: AssetType.DIRECTORY });
    this.release = new Release(this, 'Release', {
      name: 'gateway-api-crds',
      chart: asset.path,
      version: chart.version,
      namespace: props.namespace ?? 'istio-system',
      createNamespace: true,
      wait: true,
      timeout: 300,
      cleanupOnFail: true,
    });
  }
}
