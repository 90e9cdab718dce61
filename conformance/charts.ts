// Istio's charts rendered by the real Helm with the values a mesh stack passes: the objects istiod and the gateway
// run with, as `helm install` (which the helm provider runs) would create them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { HelmRelease } from '../cdktf/helm-releases';
import type { Manifest } from '../kube/object';
import type { Toolbox } from './check';
import { answerOf, run } from './process';
import { parseObjects } from './subjects';

/**
 * A value only known at apply time (`${data.terraform_remote_state…}`) is rendered as this documentation address
 * (RFC 5737), so that the chart renders; it only ever fills service.loadBalancerIP.
 */
export const PLACEHOLDER_ADDRESS = '192.0.2.10';

/** The folder of a chart in Istio's manifests/charts, found by the name in its Chart.yaml. */
function chartDir(charts: string, name: string): string | undefined {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 3) return;
    const chartYaml = path.join(dir, 'Chart.yaml');
    if (fs.existsSync(chartYaml) && (parse(fs.readFileSync(chartYaml, 'utf8')) as { name?: string }).name === name)
      found.push(dir);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }))
      if (entry.isDirectory()) walk(path.join(dir, entry.name), depth + 1);
  };
  walk(charts, 0);
  return found[0];
}

/**
 * `helm template` of a release. The published charts carry the release's hub and tag in their values (Istio's
 * release build writes `global.hub: docker.io/istio` and `global.tag: <version>` into each chart's values.yaml; the
 * charts in the source tree say `registry.istio.io/testing` and `latest`), so they are set here as the published chart
 * has them.
 */
export function renderRelease(tools: Toolbox, release: HelmRelease): { objects: Manifest[]; error?: string } {
  const helm = tools.helm.path;
  const charts = tools.charts.path;
  if (!helm || !charts) return { objects: [], error: 'Helm or the Istio charts could not be had (see Tools)' };
  const dir = chartDir(charts, release.chart);
  if (!dir) return { objects: [], error: `no chart named ${release.chart} in ${charts}` };
  const work = fs.mkdtempSync(path.join(tools.work, `helm-${release.name}-`));
  const args = [
    'template',
    release.name,
    dir,
    '--namespace',
    release.namespace,
    '--set',
    'global.hub=docker.io/istio',
    '--set-string',
    `global.tag=${release.version}`,
  ];
  (release.values ?? []).forEach((values, i) => {
    const file = path.join(work, `values-${i}.yaml`);
    fs.writeFileSync(file, values);
    args.push('-f', file);
  });
  for (const s of release.set ?? [])
    args.push('--set-string', `${s.name}=${s.value.includes('${') ? PLACEHOLDER_ADDRESS : s.value}`);
  const result = run(helm, args);
  if (result.code !== 0) return { objects: [], error: `helm template ${release.chart}: ${answerOf(result)}` };
  return { objects: parseObjects(result.stdout) };
}
