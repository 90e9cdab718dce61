import { ISTIO_RELEASE } from './istio-defaults';
import { isJsonObject, type JsonObject } from '../kube/object';

/**
 * The istiod chart's default values for the release the injector reproduces: what `.Values` holds in the injection
 * template when the control plane was installed with no values of its own. Generated from the chart's values.yaml
 * (`npm run inject-data`) and committed, so that the injector needs nothing outside the repo.
 */

/** The chart values file the defaults are generated from (relative to the project root). */
export const VALUES_SOURCE = `../shared/reference/istio-${ISTIO_RELEASE}/istio-discovery-values.yaml`;
/** The generated file (relative to the project root). */
export const RELEASE_DEFAULTS_FILE = `inject/istio-${ISTIO_RELEASE}-values.json`;
/** Where a release build publishes its images: the chart's source tree says `registry.istio.io/testing:latest`. */
export const RELEASE_HUB = 'docker.io/istio';

/** The chart's defaults (its `_internal_defaults_do_not_set`), with the hub and tag a release build sets. */
export function releaseDefaultsFromChart(valuesYaml: string): JsonObject {
  // loaded only by the generator: the injector reads the generated JSON
  const { parse } = require('yaml') as typeof import('yaml');
  const chart: unknown = parse(valuesYaml);
  const defaults = isJsonObject(chart) ? chart._internal_defaults_do_not_set : undefined;
  if (!isJsonObject(defaults) || !isJsonObject(defaults.global)) {
    throw new Error(`${VALUES_SOURCE}: no _internal_defaults_do_not_set.global: not the istiod chart's values.yaml`);
  }
  return { ...defaults, global: { ...defaults.global, hub: RELEASE_HUB, tag: ISTIO_RELEASE } };
}

/** The generated file of the chart's other injection templates (relative to the project root). */
export const RELEASE_TEMPLATES_FILE = `inject/istio-${ISTIO_RELEASE}-templates.json`;
/** The templates the istiod chart ships besides `sidecar` (which sidecar-template.ts implements), and their files. */
export const CHART_TEMPLATES: Readonly<Record<string, string>> = {
  gateway: 'manifests/charts/istio-control/istio-discovery/files/gateway-injection-template.yaml',
  'grpc-agent': 'manifests/charts/istio-control/istio-discovery/files/grpc-agent.yaml',
  'grpc-simple': 'manifests/charts/istio-control/istio-discovery/files/grpc-simple.yaml',
};
