import { z } from 'zod';
import { AMBIENT_PROFILE } from './ambient-profile';
import { mergeValues } from './helm-values';
import type { IngressMode } from './gateway-api';
import type { Dataplane } from './mesh-profiles';

/**
 * The mesh settings an environment can choose, and the one function that turns an environment into what both the
 * istiod Helm release (cdktf/) and synth-time injection (inject/) read: istiod's Helm values and its mesh config.
 * Nothing else writes those values, so the control plane and the sidecars in dist/ cannot disagree.
 */

const QUANTITY = /^(\d+(\.\d+)?|\.\d+)(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$/;
const quantity = z.string().regex(QUANTITY, { error: 'must be a Kubernetes quantity, such as 100m, 0.5 or 128Mi' });
const resourceList = z.object({ cpu: quantity.optional(), memory: quantity.optional() }).strict();
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const name = (what: string) =>
  z
    .string()
    .max(63)
    .regex(NAME, { error: `must be a ${what}: letters, digits, "-", "_" or ".", up to 63` });

/** The fields of the `mesh` section besides `mode`. */
export const meshSettingsShape = {
  /**
   * istio-proxy's resources (istiod's `global.proxy.resources`); a pod's `sidecar.istio.io/proxyCPU` etc. still win.
   * @default - Istio's: requests 100m CPU and 128Mi, limits 2000m and 1024Mi
   */
  proxyResources: z.object({ requests: resourceList.optional(), limits: resourceList.optional() }).strict().optional(),
  /**
   * Start apps only once their proxy is ready (mesh config `defaultConfig.holdApplicationUntilProxyStarts`). Native
   * sidecars always start first; with classic sidecars this puts istio-proxy first with a postStart hook.
   * @default false
   */
  holdApplicationUntilProxyStarts: z.boolean().optional(),
  /**
   * What sidecars do with traffic to hosts the mesh does not know (`outboundTrafficPolicy.mode`): `REGISTRY_ONLY`
   * blocks it (add a ServiceEntry for each external host), `ALLOW_ANY` passes it through.
   * @default 'ALLOW_ANY' (Istio's)
   */
  outboundTrafficPolicy: z.enum(['ALLOW_ANY', 'REGISTRY_ONLY']).optional(),
  /**
   * Envoy access logs of every sidecar and gateway (`accessLogFile`, `accessLogEncoding`).
   * @default - none
   */
  accessLogging: z
    .object({
      /** @default '/dev/stdout' */
      file: z.string().min(1).default('/dev/stdout'),
      /** @default 'TEXT' */
      encoding: z.enum(['TEXT', 'JSON']).default('TEXT'),
    })
    .strict()
    .optional(),
  /**
   * SPIFFE trust domain of the mesh's identities (`trustDomain`); also the mesh id unless `meshId` is set.
   * Authorization policies name identities in it.
   * @default 'cluster.local'
   */
  trustDomain: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: 'must be a DNS name such as cluster.local' })
    .optional(),
  /** Mesh id, for multi-cluster meshes (`global.meshID`). @default - the trust domain */
  meshId: name('mesh id').optional(),
  /** Network of this cluster's workloads, for multi-network meshes (`global.network`). @default - none */
  network: name('network name').optional(),
  /** This cluster's name in a multi-cluster mesh (`global.multiCluster.clusterName`). @default 'Kubernetes' */
  clusterName: name('cluster name').optional(),
} as const;

export type MeshSettingName = keyof typeof meshSettingsShape;
export const MESH_SETTINGS = Object.keys(meshSettingsShape) as MeshSettingName[];

type Settings = { [K in MeshSettingName]?: z.output<(typeof meshSettingsShape)[K]> };
type Json = { [key: string]: unknown };

/** What an environment needs to say for istiod's values (a structural slice, so that tests can build one). */
export interface IstiodSettingsInput {
  readonly istio: {
    readonly version: string;
    readonly hub: string;
    readonly revision?: string;
    /** The revision tag the namespace is on. */
    readonly tag?: string;
  };
  readonly mesh: Settings & {
    /** @default 'sidecar' */
    readonly dataplane?: Dataplane;
  };
  readonly injection: { readonly cni: boolean; readonly proxyImage: string };
  /** @default - ingress through Istio's own Gateway */
  readonly traffic?: { readonly ingress?: IngressMode };
}

/** The istiod release's Helm values and its mesh config (the chart's `meshConfig` value). */
export interface IstiodSettings {
  /** Helm values of the istiod release, without `meshConfig`. */
  readonly values: Json;
  /** The release's `meshConfig` value, which the chart merges over its own mesh config. */
  readonly meshConfig: Json;
}

/** The environment's istiod settings: what cdktf writes into the release and what the injector renders with. */
export function istiodSettings(env: IstiodSettingsInput): IstiodSettings {
  const { mesh } = env;
  const values: Json = {};
  if (env.istio.revision) values.revision = env.istio.revision;
  values.pilot = { cni: { enabled: env.injection.cni } };
  // The one hub and tag: every image of the release, the injected proxy's included, is <hub>/<image>:<tag>.
  const global: Json = { hub: env.istio.hub, tag: env.istio.version };
  const proxy: Json = {};
  // a proxy image other than the release's own is given whole (the chart takes a value with a "/" as the image)
  if (env.injection.proxyImage !== `${env.istio.hub}/proxyv2:${env.istio.version}`) {
    proxy.image = env.injection.proxyImage;
    global.proxy_init = { image: env.injection.proxyImage };
  }
  if (mesh.proxyResources) proxy.resources = mesh.proxyResources;
  if (Object.keys(proxy).length > 0) global.proxy = proxy;
  if (mesh.meshId) global.meshID = mesh.meshId;
  if (mesh.network) global.network = mesh.network;
  if (mesh.clusterName) global.multiCluster = { clusterName: mesh.clusterName };
  values.global = global;

  const meshConfig: Json = {};
  if (mesh.trustDomain) meshConfig.trustDomain = mesh.trustDomain;
  if (mesh.outboundTrafficPolicy) meshConfig.outboundTrafficPolicy = { mode: mesh.outboundTrafficPolicy };
  if (mesh.accessLogging) {
    meshConfig.accessLogFile = mesh.accessLogging.file;
    meshConfig.accessLogEncoding = mesh.accessLogging.encoding;
  }
  if (mesh.holdApplicationUntilProxyStarts !== undefined) {
    meshConfig.defaultConfig = { holdApplicationUntilProxyStarts: mesh.holdApplicationUntilProxyStarts };
  }
  // The gateways istiod deploys for Gateway API Gateways (the ingress gateway, waypoints) run in the application's
  // namespace, which enforces Pod Security `restricted`: that needs a seccomp profile, which istiod's gateway
  // template sets only when given one.
  const gateways = { seccompProfile: { type: 'RuntimeDefault' } };
  if (mesh.dataplane !== 'ambient') {
    return { values: env.traffic?.ingress === 'gateway-api' ? { ...values, gateways } : values, meshConfig };
  }
  // The ambient profile's istiod part, under the environment's own choices (as the chart merges a profile).
  const { global: profileGlobal, pilot, meshConfig: profileMeshConfig } = AMBIENT_PROFILE;
  return {
    values: mergeValues({ global: profileGlobal, pilot }, values, { gateways }),
    meshConfig: mergeValues(profileMeshConfig, meshConfig),
  };
}

/**
 * The ztunnel release's values of an environment's own (besides hub, tag and the platform profile): the network and
 * cluster name istiod knows the cluster by, which ztunnel must report the same (the chart takes them from `global`).
 */
export function ztunnelSettings(env: IstiodSettingsInput): Json {
  const { global } = istiodSettings(env).values as { global: Json };
  const same = Object.fromEntries(Object.entries(global).filter(([key]) => ['network', 'multiCluster'].includes(key)));
  return Object.keys(same).length > 0 ? { global: same } : {};
}

/** What an environment says about sidecar injection, beside istiod's settings. */
export interface SidecarInjectionInput extends IstiodSettingsInput {
  readonly namespace: string;
  readonly injection: IstiodSettingsInput['injection'] & {
    readonly mode: 'manual' | 'auto' | 'off';
    readonly nativeSidecars: boolean;
  };
}

/**
 * The environment's settings for the injection pass and the `kube-inject --env` command: the mode and namespace,
 * and the injector configured with exactly the values and mesh config the istiod release gets.
 */
export function sidecarInjection(env: SidecarInjectionInput) {
  const { values, meshConfig } = istiodSettings(env);
  return {
    mode: env.injection.mode,
    cni: env.injection.cni,
    revision: env.istio.revision,
    revisionTag: env.istio.tag,
    istioVersion: env.istio.version,
    namespace: env.namespace,
    injector: {
      istioVersion: env.istio.version,
      values,
      meshConfig,
      revision: env.istio.revision,
      nativeSidecars: env.injection.nativeSidecars,
    },
  };
}
