import { PROXY_CONFIG_DEFAULTS, istiodAddress } from './istio-defaults';
import { isJsonObject } from '../kube/object';

/**
 * The `proxy.istio.io/config` annotation: a ProxyConfig (istio.mesh.v1alpha1) that overrides the mesh's
 * `defaultConfig` for one pod, field by field. The injector models the fields that change what it writes; any other
 * ProxyConfig field is refused with an error rather than written wrongly.
 */

export type InterceptionMode = 'REDIRECT' | 'TPROXY' | 'NONE';

/** The ProxyConfig fields this injector models, in the order they are declared in proxy.proto (and printed). */
interface ModeledProxyConfig {
  drainDuration?: string;
  discoveryAddress?: string;
  concurrency?: number;
  interceptionMode?: InterceptionMode;
  proxyMetadata?: Record<string, string>;
  terminationDrainDuration?: string;
  holdApplicationUntilProxyStarts?: boolean;
}

/** What the template and the post-processing read from the pod's effective ProxyConfig. */
export interface EffectiveProxyConfig {
  readonly interceptionMode: InterceptionMode;
  readonly holdApplicationUntilProxyStarts: boolean;
  readonly proxyMetadata: Readonly<Record<string, string>>;
  /** The `PROXY_CONFIG` value: the fields that differ from Istio's defaults, as istio-agent reads them. */
  readonly json: string;
}

const INTERCEPTION_MODES: readonly InterceptionMode[] = ['REDIRECT', 'TPROXY', 'NONE'];
const DURATION = /^(\d+)(?:\.(\d{1,9}))?s$/;

const FIELD_PARSERS: { readonly [K in keyof ModeledProxyConfig]-?: (value: unknown) => ModeledProxyConfig[K] } = {
  drainDuration: parseDuration,
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
    return mode as InterceptionMode;
  },
  proxyMetadata: (value) => {
    if (!isJsonObject(value) || Object.values(value).some((v) => typeof v !== 'string')) {
      throw new Error('proxyMetadata must map names to string values');
    }
    return value as Record<string, string>;
  },
  terminationDrainDuration: parseDuration,
  holdApplicationUntilProxyStarts: (value) => {
    if (typeof value !== 'boolean') throw new Error('holdApplicationUntilProxyStarts must be true or false');
    return value;
  },
};

/** ProxyConfig fields that exist in Istio 1.30 but that this injector does not model. */
const UNMODELED_FIELDS = new Set([
  'configPath',
  'binaryPath',
  'serviceCluster',
  'tracingServiceName',
  'parentShutdownDuration',
  'discoveryRefreshDelay',
  'zipkinAddress',
  'statsdUdpAddress',
  'envoyMetricsServiceAddress',
  'proxyAdminPort',
  'availabilityZone',
  'controlPlaneAuthPolicy',
  'customConfigFile',
  'statNameLength',
  'proxyBootstrapTemplatePath',
  'tracing',
  'sds',
  'envoyAccessLogService',
  'envoyMetricsService',
  'runtimeValues',
  'statusPort',
  'extraStatTags',
  'gatewayTopology',
  'meshId',
  'readinessProbe',
  'proxyStatsMatcher',
  'caCertificatesPem',
  'image',
  'privateKeyProvider',
  'proxyHeaders',
  'fileFlushInterval',
  'fileFlushMinSizeKb',
]);

/** Parses and checks the annotation's value; throws an Error saying which field is wrong and why. */
export function parseProxyConfigAnnotation(value: string): ModeledProxyConfig {
  let parsed: unknown;
  try {
    // loaded on first use: the synth path needs no YAML parser unless a pod sets this annotation
    const { parse } = require('yaml') as typeof import('yaml');
    parsed = parse(value);
  } catch (error) {
    throw new Error(`not YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isJsonObject(parsed))
    throw new Error('must be a ProxyConfig object, such as {"holdApplicationUntilProxyStarts": true}');
  const config: Record<string, unknown> = {};
  for (const [key, fieldValue] of Object.entries(parsed)) {
    // protobuf JSON accepts both the lowerCamel JSON name and the snake_case proto name
    const field = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    if (field in FIELD_PARSERS) {
      config[field] = FIELD_PARSERS[field as keyof ModeledProxyConfig](fieldValue);
    } else if (UNMODELED_FIELDS.has(field)) {
      throw new Error(
        `field "${key}" is a valid ProxyConfig field that this injector does not model; ` +
          `supported: ${Object.keys(FIELD_PARSERS).join(', ')} (use auto injection for the others)`,
      );
    } else {
      throw new Error(`unknown ProxyConfig field "${key}"`);
    }
  }
  return config as ModeledProxyConfig;
}

/**
 * The pod's ProxyConfig: the mesh's `defaultConfig` as the istiod chart writes it for `revision`, overridden by the
 * pod's `proxy.istio.io/config` annotation.
 */
export function effectiveProxyConfig(
  annotation: string | undefined,
  revision: string | undefined,
): EffectiveProxyConfig {
  const mesh: ModeledProxyConfig = { discoveryAddress: istiodAddress(revision) };
  const overrides = annotation === undefined ? {} : parseProxyConfigAnnotation(annotation);
  const merged: ModeledProxyConfig = { ...mesh, ...overrides };
  return {
    interceptionMode: merged.interceptionMode ?? 'REDIRECT',
    holdApplicationUntilProxyStarts: merged.holdApplicationUntilProxyStarts ?? false,
    proxyMetadata: merged.proxyMetadata ?? {},
    json: proxyConfigJson(merged),
  };
}

/** Protobuf JSON of the fields that differ from the mesh defaults, in declaration order (istio's cleanProxyConfig). */
function proxyConfigJson(config: ModeledProxyConfig): string {
  const out: Record<string, unknown> = {};
  const { drainDuration, discoveryAddress, concurrency, interceptionMode, proxyMetadata } = config;
  if (drainDuration !== undefined && drainDuration !== PROXY_CONFIG_DEFAULTS.drainDuration)
    out.drainDuration = drainDuration;
  if (discoveryAddress && discoveryAddress !== PROXY_CONFIG_DEFAULTS.discoveryAddress)
    out.discoveryAddress = discoveryAddress;
  if (concurrency !== undefined) out.concurrency = concurrency;
  if (interceptionMode !== undefined && interceptionMode !== 'REDIRECT') out.interceptionMode = interceptionMode;
  if (proxyMetadata && Object.keys(proxyMetadata).length > 0) out.proxyMetadata = sortedKeys(proxyMetadata);
  const termination = config.terminationDrainDuration;
  if (termination !== undefined && termination !== PROXY_CONFIG_DEFAULTS.terminationDrainDuration) {
    out.terminationDrainDuration = termination;
  }
  if (config.holdApplicationUntilProxyStarts !== undefined) {
    out.holdApplicationUntilProxyStarts = config.holdApplicationUntilProxyStarts;
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
