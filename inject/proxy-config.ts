import { isJsonObject, type JsonObject } from '../kube/object';

/**
 * A pod's ProxyConfig (istio.mesh.v1alpha1), as the template reads it: the mesh's `defaultConfig` over Istio's
 * built-in defaults, overridden field by field by the pod's `proxy.istio.io/config` annotation. The fields that
 * change what the injector writes are parsed and checked; the others are carried as given into `PROXY_CONFIG`, the
 * agent's copy.
 */

export type InterceptionMode = 'REDIRECT' | 'TPROXY' | 'NONE';

/** What the template and the post-processing read from the pod's effective ProxyConfig. */
export interface EffectiveProxyConfig {
  readonly interceptionMode: InterceptionMode;
  /** Unset, or the BoolValue the mesh or the pod sets. */
  readonly holdApplicationUntilProxyStarts: boolean | undefined;
  readonly proxyMetadata: Readonly<Record<string, string>>;
  /** `image.imageType`: the proxy image variant (`distroless`, `debug`, `default`), when set. */
  readonly imageType: string | undefined;
  /** The whole ProxyConfig, in protobuf JSON names (the template's `.ProxyConfig`). */
  readonly config: JsonObject;
  /** The `PROXY_CONFIG` value: the fields that differ from Istio's defaults, as istio-agent reads them. */
  readonly json: string;
}

const INTERCEPTION_MODES: readonly InterceptionMode[] = ['REDIRECT', 'TPROXY', 'NONE'];
const DURATION = /^(\d+)(?:\.(\d{1,9}))?s$/;

/** ProxyConfig's fields in proxy.proto's declaration order, the order protobuf JSON prints them in. */
const FIELDS = [
  'configPath',
  'binaryPath',
  'serviceCluster',
  'tracingServiceName',
  'drainDuration',
  'parentShutdownDuration',
  'discoveryAddress',
  'discoveryRefreshDelay',
  'zipkinAddress',
  'statsdUdpAddress',
  'envoyMetricsServiceAddress',
  'proxyAdminPort',
  'availabilityZone',
  'controlPlaneAuthPolicy',
  'customConfigFile',
  'statNameLength',
  'concurrency',
  'proxyBootstrapTemplatePath',
  'interceptionMode',
  'tracing',
  'sds',
  'envoyAccessLogService',
  'envoyMetricsService',
  'proxyMetadata',
  'runtimeValues',
  'statusPort',
  'extraStatTags',
  'gatewayTopology',
  'terminationDrainDuration',
  'meshId',
  'readinessProbe',
  'proxyStatsMatcher',
  'holdApplicationUntilProxyStarts',
  'caCertificatesPem',
  'image',
  'privateKeyProvider',
  'proxyHeaders',
  'fileFlushInterval',
  'fileFlushMinSizeKb',
  'statsCompression',
] as const;
type Field = (typeof FIELDS)[number];
const KNOWN = new Set<string>(FIELDS);

/** Istio's DefaultProxyConfig: fields equal to these are left out of `PROXY_CONFIG` (its cleanProxyConfig). */
const DEFAULTS: Readonly<Partial<Record<Field, unknown>>> = {
  configPath: './etc/istio/proxy',
  binaryPath: '/usr/local/bin/envoy',
  serviceCluster: 'istio-proxy',
  drainDuration: '45s',
  terminationDrainDuration: '5s',
  proxyAdminPort: 15000,
  controlPlaneAuthPolicy: 'MUTUAL_TLS',
  discoveryAddress: 'istiod.istio-system.svc:15012',
  statNameLength: 189,
  statusPort: 15020,
};

const PARSERS: Partial<Record<Field, (value: unknown) => unknown>> = {
  drainDuration: parseDuration,
  terminationDrainDuration: parseDuration,
  parentShutdownDuration: parseDuration,
  discoveryAddress: parseAddress,
  concurrency: (value) => {
    const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0x7fffffff) {
      throw new Error('concurrency must be a whole number, 0 or more');
    }
    return n;
  },
  interceptionMode: (value) => {
    const mode = typeof value === 'number' ? INTERCEPTION_MODES[value] : value;
    if (!INTERCEPTION_MODES.includes(mode as InterceptionMode)) {
      throw new Error(`interceptionMode must be one of ${INTERCEPTION_MODES.join(', ')}`);
    }
    return mode;
  },
  proxyMetadata: (value) => {
    if (!isJsonObject(value) || Object.values(value).some((v) => typeof v !== 'string')) {
      throw new Error('proxyMetadata must map names to string values');
    }
    return value;
  },
  image: (value) => {
    if (!isJsonObject(value) || (value.imageType !== undefined && typeof value.imageType !== 'string')) {
      throw new Error('image must be {"imageType": "default" | "distroless" | "debug"}');
    }
    return value;
  },
  holdApplicationUntilProxyStarts: (value) => {
    if (typeof value !== 'boolean') throw new Error('holdApplicationUntilProxyStarts must be true or false');
    return value;
  },
};

/**
 * Parses and checks a ProxyConfig given as YAML or JSON text (the annotation) or as an object (the mesh's
 * `defaultConfig`); throws an Error saying which field is wrong and why.
 */
export function parseProxyConfig(value: string | JsonObject): JsonObject {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      // loaded on first use: the synth path needs no YAML parser unless a pod sets this annotation
      const { parse } = require('yaml') as typeof import('yaml');
      parsed = parse(value);
    } catch (error) {
      throw new Error(`not YAML or JSON: ${(error as Error).message.split('\n')[0]}`, { cause: error });
    }
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isJsonObject(parsed))
    throw new Error('must be a ProxyConfig object, such as {"holdApplicationUntilProxyStarts": true}');
  const config: JsonObject = {};
  for (const [key, fieldValue] of Object.entries(parsed)) {
    // protobuf JSON accepts both the lowerCamel JSON name and the snake_case proto name
    const field = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!KNOWN.has(field)) throw new Error(`unknown ProxyConfig field "${key}"`);
    const parse = PARSERS[field as Field];
    config[field] = parse ? parse(fieldValue) : fieldValue;
  }
  return config;
}

/** The pod's ProxyConfig: the mesh's `defaultConfig`, overridden by the `proxy.istio.io/config` annotation. */
export function effectiveProxyConfig(annotation: string | undefined, meshDefaultConfig: unknown): EffectiveProxyConfig {
  const mesh = isJsonObject(meshDefaultConfig) ? parseProxyConfig(meshDefaultConfig) : {};
  const overrides = annotation === undefined ? {} : parseProxyConfig(annotation);
  const merged: JsonObject = { ...DEFAULTS, ...mesh, ...overrides };
  if (isJsonObject(mesh.proxyMetadata) && isJsonObject(overrides.proxyMetadata)) {
    // maps merge key by key, as protobuf merges them
    merged.proxyMetadata = { ...mesh.proxyMetadata, ...overrides.proxyMetadata };
  }
  const hold = merged.holdApplicationUntilProxyStarts;
  return {
    interceptionMode: (merged.interceptionMode as InterceptionMode | undefined) ?? 'REDIRECT',
    holdApplicationUntilProxyStarts: typeof hold === 'boolean' ? hold : undefined,
    proxyMetadata: (merged.proxyMetadata as Record<string, string> | undefined) ?? {},
    imageType: isJsonObject(merged.image) ? (merged.image.imageType as string | undefined) : undefined,
    config: { interceptionMode: 'REDIRECT', ...merged },
    json: proxyConfigJson(merged),
  };
}

/** Protobuf JSON of the fields that differ from the defaults, in declaration order (istio's cleanProxyConfig). */
function proxyConfigJson(config: JsonObject): string {
  const out: JsonObject = {};
  for (const field of FIELDS) {
    const value = config[field];
    if (value === undefined || value === null || value === DEFAULTS[field]) continue;
    // proto3 leaves zero values out, except in wrapper types (concurrency, holdApplicationUntilProxyStarts)
    if (value === '' || value === 0 || value === false) {
      if (field !== 'concurrency' && field !== 'holdApplicationUntilProxyStarts') continue;
    }
    if (field === 'interceptionMode' && value === 'REDIRECT') continue;
    if (field === 'proxyMetadata') {
      if (Object.keys(value as JsonObject).length === 0) continue;
      out[field] = sortedKeys(value as Record<string, string>);
    } else {
      out[field] = value;
    }
  }
  return JSON.stringify(out);
}

/** A protobuf Duration ("5s", "1.5s"), normalized the way protobuf JSON prints it ("1.500s"). */
function parseDuration(value: unknown): string {
  const match = typeof value === 'string' ? DURATION.exec(value) : null;
  if (!match) throw new Error(`${JSON.stringify(value)} is not a duration in seconds, such as "5s" or "1.5s"`);
  const [, seconds, fraction = ''] = match;
  // protobuf JSON prints 0, 3, 6 or 9 fractional digits
  let digits = fraction.padEnd(9, '0');
  if (digits.endsWith('000')) digits = digits.slice(0, 6);
  if (digits.endsWith('000')) digits = digits.slice(0, 3);
  return digits === '000' ? `${BigInt(seconds)}s` : `${BigInt(seconds)}.${digits}s`;
}

function parseAddress(value: unknown): string {
  const match = typeof value === 'string' ? /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/.exec(value) : null;
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
    throw new Error(
      `discoveryAddress ${JSON.stringify(value)} must be host:port, such as istiod.istio-system.svc:15012`,
    );
  }
  return value as string;
}

function sortedKeys(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
