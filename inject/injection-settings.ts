import { ISTIO_NAMESPACE, ISTIO_RELEASE, injectorMinor, type InjectorMinor } from './istio-defaults';
import { isJsonObject, type JsonObject } from '../kube/object';
import { cloneJson } from './clone-json';
import { RELEASE_DATA } from './release-data';

/**
 * What the injection template reads besides the pod, as istiod hands it over: `.Values` (the istiod release's Helm
 * values, as its istio-sidecar-injector ConfigMap holds them) and `.MeshConfig` (the mesh config of its `istio`
 * ConfigMap). The injector takes the release's Helm values, exactly those given to the istiod chart, and resolves
 * them here the way the chart does; so one object drives both the control plane and synth-time injection.
 */

/** The injector's view of a control plane: plain JSON in the shapes Istio defines. */
export interface InjectionSettings {
  /** `.Values`: the release's values over the chart's defaults (global, sidecarInjectorWebhook, revision, pilot). */
  readonly values: JsonObject;
  /** `.MeshConfig`: the chart's mesh config (over the built-in defaults), in protobuf JSON names. */
  readonly meshConfig: JsonObject;
  /** The minor whose template and data render the sidecar. */
  readonly minor: InjectorMinor;
}

export interface InjectionSettingsInput {
  /**
   * The Istio release of the control plane (`1.29.6`): its minor's chart defaults, with its own image tag.
   * @default '1.30.3'
   */
  readonly istioVersion?: string;
  /**
   * Helm values of the istiod release (partial): merged over the chart's defaults as Helm merges them (a `null`
   * removes a default), `pilot.*` over the top level as the chart's profile handling does.
   * @default {} (the release's defaults)
   */
  readonly values?: JsonObject;
  /**
   * Mesh config (partial), merged over the mesh config the chart writes for `values`, as `istioctl kube-inject
   * --meshConfigFile` merges a file over the mesh defaults.
   * @default {}
   */
  readonly meshConfig?: JsonObject;
}

/** A release's chart defaults (generated, `npm run inject-data`), with the release's own image tag. */
export function releaseValues(istioVersion: string): JsonObject {
  const defaults = RELEASE_DATA[injectorMinor(istioVersion)].values;
  return { ...defaults, global: { ...(defaults.global as JsonObject), tag: istioVersion } };
}

/** Resolves a release's values and mesh config into what the template sees. */
export function resolveInjectionSettings(input: InjectionSettingsInput = {}): InjectionSettings {
  const given = input.values ?? {};
  if (!isJsonObject(given)) throw new Error('values must be a map of Helm values');
  if (input.meshConfig !== undefined && !isJsonObject(input.meshConfig)) {
    throw new Error('meshConfig must be a MeshConfig object, such as {"defaultConfig": {"concurrency": 2}}');
  }
  const istioVersion = input.istioVersion ?? ISTIO_RELEASE;
  let chart = helmMerge(releaseValues(istioVersion), given);
  if (isJsonObject(given.pilot)) chart = helmMerge(chart, given.pilot);
  const global = chart.global as JsonObject;
  const values: JsonObject = {
    global,
    sidecarInjectorWebhook: chart.sidecarInjectorWebhook,
    revision: chart.revision ?? '',
    pilot: { cni: chart.cni, env: chart.env },
    gateways: pick(isJsonObject(chart.gateways) ? chart.gateways : {}, ['securityContext', 'seccompProfile']),
  };
  const chartMesh = helmMerge(chartMeshConfig(chart), isJsonObject(chart.meshConfig) ? chart.meshConfig : {});
  const meshConfig = helmMerge(chartMesh, input.meshConfig ?? {});
  return { values, meshConfig, minor: injectorMinor(istioVersion) };
}

/** The istiod chart's `mesh` (templates/configmap.yaml) for the fields the injector reads. */
function chartMeshConfig(chart: JsonObject): JsonObject {
  const global = chart.global as JsonObject;
  const proxy = (global.proxy ?? {}) as JsonObject;
  const defaultConfig: JsonObject = {};
  if (global.meshID) defaultConfig.meshId = String(global.meshID);
  const variant = proxy.variant || global.variant;
  if (variant) defaultConfig.image = { imageType: String(variant) };
  if (proxy.tracer !== 'none' && proxy.tracer !== undefined) {
    // tracing providers other than none are not modelled: the proxy config carries an empty tracing block
    defaultConfig.tracing = {};
  }
  const revision = chart.revision ? `-${chart.revision}` : '';
  defaultConfig.discoveryAddress = `istiod${revision}.${ISTIO_NAMESPACE}.svc:15012`;
  const meshConfig = isJsonObject(chart.meshConfig) ? chart.meshConfig : {};
  return {
    trustDomain: 'cluster.local',
    rootNamespace: meshConfig.rootNamespace || global.istioNamespace,
    defaultConfig,
  };
}

/**
 * Helm's merge of values: maps merge key by key, anything else (lists included) is replaced, and a `null` in
 * `over` removes the key.
 */
export function helmMerge(base: Readonly<JsonObject>, over: Readonly<JsonObject>): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === null) delete out[key];
    else if (isJsonObject(value) && isJsonObject(out[key])) out[key] = helmMerge(out[key] as JsonObject, value);
    else out[key] = cloneJson(value);
  }
  return out;
}

function pick(obj: JsonObject, keys: string[]): JsonObject {
  return Object.fromEntries(keys.filter((k) => k in obj).map((k) => [k, obj[k]]));
}

/** Dotted paths split, once each: the template looks the same few dozen up for every pod. */
const PATHS = new Map<string, readonly string[]>();

/** A value at a dotted path (`global.proxy.image`), or undefined. */
export function valueAt(obj: unknown, path: string): unknown {
  let at = obj;
  let keys = PATHS.get(path);
  if (keys === undefined) {
    keys = path.split('.');
    if (PATHS.size < 1000) PATHS.set(path, keys);
  }
  for (const key of keys) {
    if (!isJsonObject(at)) return undefined;
    at = at[key];
  }
  return at;
}
