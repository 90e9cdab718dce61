import { INJECTOR_RELEASES, type InjectorMinor } from './istio-defaults';
import { isJsonObject, type JsonObject } from '../kube/object';

/**
 * The istiod chart's default values for each release the injector reproduces: what `.Values` holds in the injection
 * template when the control plane was installed with no values of its own. Generated from the chart's values.yaml
 * (`npm run inject-data`) and committed, so that the injector needs nothing outside the repo.
 */

/** The istiod chart inside an Istio source tree. */
export const CHART_DIR = 'manifests/charts/istio-control/istio-discovery';
/** The chart values file of a minor's data, in ../shared/reference where it has the release (relative to the root). */
export function valuesReference(minor: InjectorMinor): string {
  return `../shared/reference/istio-${INJECTOR_RELEASES[minor]}/istio-discovery-values.yaml`;
}
/** The generated files of a minor (relative to the project root). */
export const releaseDefaultsFile = (minor: InjectorMinor) => `inject/istio-${minor}-values.json`;
export const releaseTemplatesFile = (minor: InjectorMinor) => `inject/istio-${minor}-templates.json`;
/** Where a release build publishes its images: the chart's source tree says `registry.istio.io/testing:latest`. */
export const RELEASE_HUB = 'docker.io/istio';

/** The chart's defaults (its `_internal_defaults_do_not_set`), with the hub and tag a build of `release` sets. */
export function releaseDefaultsFromChart(valuesYaml: string, release: string): JsonObject {
  // loaded only by the generator: the injector reads the generated JSON
  const { parse } = require('yaml') as typeof import('yaml');
  const chart: unknown = parse(valuesYaml);
  const defaults = isJsonObject(chart) ? chart._internal_defaults_do_not_set : undefined;
  if (!isJsonObject(defaults) || !isJsonObject(defaults.global)) {
    throw new Error("no _internal_defaults_do_not_set.global: not the istiod chart's values.yaml");
  }
  return { ...defaults, global: { ...defaults.global, hub: RELEASE_HUB, tag: release } };
}

/** The templates the istiod chart ships besides `sidecar` (which sidecar-template.ts implements), and their files. */
export const CHART_TEMPLATES: Readonly<Record<string, string>> = {
  gateway: `${CHART_DIR}/files/gateway-injection-template.yaml`,
  'grpc-agent': `${CHART_DIR}/files/grpc-agent.yaml`,
  'grpc-simple': `${CHART_DIR}/files/grpc-simple.yaml`,
};
