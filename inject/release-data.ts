import type { JsonObject } from '../kube/object';
import type { InjectorMinor } from './istio-defaults';
import values129 from './istio-1.29-values.json';
import templates129 from './istio-1.29-templates.json';
import values130 from './istio-1.30-values.json';
import templates130 from './istio-1.30-templates.json';
import values131 from './istio-1.31-values.json';
import templates131 from './istio-1.31-templates.json';

/**
 * Each minor's generated injector data (`npm run inject-data`): the istiod chart's default values and its injection
 * templates besides `sidecar` (gateway, grpc-agent, grpc-simple).
 */
export interface ReleaseData {
  readonly values: Readonly<JsonObject>;
  readonly templates: Readonly<Record<string, string>>;
}

export const RELEASE_DATA: Readonly<Record<InjectorMinor, ReleaseData>> = {
  '1.29': { values: values129 as JsonObject, templates: templates129 },
  '1.30': { values: values130 as JsonObject, templates: templates130 },
  '1.31': { values: values131 as JsonObject, templates: templates131 },
};
