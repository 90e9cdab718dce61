import { annotationErrors } from './annotation-validation';
import { KUBE_APP_PROBERS_ENV, appProbersJson, rewriteProbes, shouldRewriteProbes } from './app-probes';
import { orderContainers } from './container-order';
import { applyGoRoundTrip, applyGoRoundTripToList } from './go-round-trip';
import { injectionStatus } from './injection-status';
import { IGNORED_NAMESPACES, STATUS_PORT, minorAtLeast } from './istio-defaults';
import { resolveInjectionSettings, valueAt, type InjectionSettings } from './injection-settings';
import {
  isJsonObject,
  type Container,
  type JsonObject,
  type KubeObject,
  type ObjectMeta,
  type PodSpec,
} from '../kube/object';
import { cloneJson } from './clone-json';
import { ANNOTATION, INIT_CONTAINER, LABEL, PROXY_CONTAINER, VALIDATION_CONTAINER } from './pod-annotations';
import { PROMETHEUS_ANNOTATIONS_ENV, mergePrometheusAnnotations } from './prometheus-merge';
import { effectiveProxyConfig } from './proxy-config';
import {
  renderSidecarTemplate,
  templateValue,
  type SidecarSettings,
  type TemplateInput,
  type TemplatePod,
} from './sidecar-template';
import { chartTemplateText, renderTemplate } from './template-render';
import { goOrderedContainer } from './go-order';
import { goJson } from './go-json';
import { canonicalQuantity } from './quantity';
import { strategicMerge } from './strategic-merge';
import { isWorkload, podTemplateOf, type PodTemplate } from '../kube/workload-kinds';

export interface SidecarInjectorProps {
  /**
   * The Istio release of the control plane (`1.29.6`, `1.31.1`): which minor's injection template and chart defaults
   * to reproduce, and the image tag of its proxy (unless `values.global.tag` says otherwise).
   * @default '1.30.3'
   */
  readonly istioVersion?: string;
  /**
   * Helm values of the istiod release whose injection to reproduce (partial): merged over the release's defaults
   * as the chart merges them, e.g. `{ global: { proxy: { resources: ... } }, pilot: { cni: { enabled: true } } }`.
   * The proxy image is `global.proxy.image` when it names a repository, else `<global.hub>/proxyv2:<global.tag>`.
   * @default {} (the release's defaults: docker.io/istio/proxyv2:1.30.3, no CNI)
   */
  readonly values?: JsonObject;
  /**
   * Mesh config (partial), merged over the one the istiod chart writes for `values` (`meshConfig` in the values
   * goes there too), as `istioctl kube-inject --meshConfigFile` reads a file.
   * @default {}
   */
  readonly meshConfig?: JsonObject;
  /**
   * Control plane revision (`istio.io/rev`): the revision in the status annotation, and, unless `values.revision`
   * says otherwise, the istiod the proxy talks to.
   * @default - the default control plane
   */
  readonly revision?: string;
  /**
   * Run istio-proxy as a Kubernetes native sidecar (an init container with `restartPolicy: Always`), as Istio 1.30
   * does by default. A pod can choose with the `sidecar.istio.io/nativeSidecar` annotation.
   * @default true
   */
  readonly nativeSidecars?: boolean;
}

/** Why a workload of an injectable kind got no sidecar. */
export interface InjectionNotice {
  /** The object, e.g. `Deployment "bookinfo/ratings-v1"`. */
  readonly object: string;
  readonly reason: string;
}

/** An object that cannot be injected: bad annotations, no pod template, a setting the injector cannot model. */
export class InjectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InjectionError';
  }
}

/**
 * `istioctl kube-inject` of Istio 1.29, 1.30 or 1.31 (`istioVersion`), on plain Kubernetes objects: adds the Istio sidecar to every workload
 * (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, and those in a `List`)
 * exactly as istioctl would with default values and mesh config. Other objects are returned unchanged; so are pods
 * that opt out (`sidecar.istio.io/inject: "false"`), use the host network, run in a system namespace or already
 * carry a sidecar (`sidecar.istio.io/status`).
 */
export class SidecarInjector {
  /** `.Values` and `.MeshConfig` as the template sees them. */
  public readonly settings: InjectionSettings;
  private readonly template: SidecarSettings;

  constructor(props: SidecarInjectorProps = {}) {
    const values =
      props.revision && props.values?.revision === undefined
        ? { ...props.values, revision: props.revision }
        : (props.values ?? {});
    try {
      this.settings = resolveInjectionSettings({
        istioVersion: props.istioVersion,
        values,
        meshConfig: props.meshConfig,
      });
    } catch (error) {
      throw new InjectionError((error as Error).message);
    }
    this.template = {
      ...this.settings,
      revision: props.revision,
      nativeSidecars: props.nativeSidecars ?? true,
    };
    for (const path of ['global.proxy.image', 'global.hub', 'global.tag']) {
      const image = valueAt(this.settings.values, path);
      if (typeof image === 'string' && /\s/.test(image)) {
        throw new InjectionError(`values.${path} ${JSON.stringify(image)} must not contain spaces`);
      }
    }
  }

  /** Whether kube-inject reads this object (a workload kind or a List); other objects pass through as they are. */
  static handles(obj: unknown): boolean {
    return isJsonObject(obj) && (isWorkload(obj as KubeObject) || isList(obj as KubeObject));
  }

  /**
   * Returns the injected copy of `obj` (the input is not changed), and notices for workloads left without a
   * sidecar. Throws InjectionError naming the object and what is wrong with it.
   */
  inject(obj: KubeObject): { object: KubeObject; notices: InjectionNotice[] } {
    const notices: InjectionNotice[] = [];
    if (!SidecarInjector.handles(obj)) return { object: obj, notices };
    const copy = cloneJson(obj);
    if (isList(copy)) {
      const items = Array.isArray(copy.items) ? copy.items : [];
      copy.items = items.map((item, i) => {
        if (!isJsonObject(item) || !isWorkload(item as KubeObject)) return item;
        try {
          return this.injectWorkload(item as KubeObject, notices);
        } catch (error) {
          throw new InjectionError(`List item ${i + 1}: ${(error as Error).message}`);
        }
      });
      applyGoRoundTripToList(copy);
      return { object: copy, notices };
    }
    return { object: this.injectWorkload(copy, notices), notices };
  }

  private injectWorkload(obj: KubeObject, notices: InjectionNotice[]): KubeObject {
    let pod: PodTemplate;
    try {
      pod = podTemplateOf(obj);
    } catch (error) {
      throw new InjectionError((error as Error).message);
    }
    const skipped = this.skipReason(pod);
    if (skipped) {
      notices.push({ object: pod.description, reason: skipped });
    } else {
      try {
        const { metadata, spec } = this.injectPod(pod);
        pod.replace(metadata, spec);
      } catch (error) {
        throw new InjectionError(`${pod.description}: ${(error as Error).message}`);
      }
    }
    applyGoRoundTrip(obj);
    return obj;
  }

  /** Istio's injectRequired for kube-inject (policy enabled), plus our choice to leave injected pods alone. */
  private skipReason(pod: PodTemplate): string | undefined {
    const { metadata, spec } = pod;
    if (spec.hostNetwork === true) return "it uses the host network (iptables would redirect the node's traffic)";
    if (metadata.namespace && IGNORED_NAMESPACES.has(metadata.namespace)) {
      return `namespace ${metadata.namespace} is never injected`;
    }
    const choice = metadata.labels?.[LABEL.inject] ?? metadata.annotations?.[ANNOTATION.inject];
    if (choice === 'false') return `it opts out (${ANNOTATION.inject}: "false")`;
    if (metadata.annotations?.[ANNOTATION.status] !== undefined)
      return `it already has a sidecar (${ANNOTATION.status})`;
    return undefined;
  }

  /** The templates a pod gets: its `inject.istio.io/templates`, else the release's default ones. */
  private templateNames(annotations: Record<string, string>): string[] {
    const chosen = annotations[ANNOTATION.templates];
    if (chosen !== undefined) return chosen.split(',').map((name) => name.trim());
    const defaults = templateValue(this.template, 'sidecarInjectorWebhook.defaultTemplates');
    return Array.isArray(defaults) && defaults.length > 0 ? defaults.map(String) : ['sidecar'];
  }

  /** What one template adds to a pod, as a pod overlay. */
  private overlay(name: string, input: TemplateInput): JsonObject {
    const own = templateValue(this.template, 'sidecarInjectorWebhook.templates');
    const text = isJsonObject(own) && typeof own[name] === 'string' ? own[name] : undefined;
    if (text !== undefined || name !== 'sidecar') {
      const chart = chartTemplateText(this.template.minor);
      const source = text ?? chart[name];
      if (source === undefined) {
        const known = ['sidecar', ...Object.keys(chart), ...(isJsonObject(own) ? Object.keys(own) : [])];
        throw new Error(`requested template "${name}" not found; have ${[...new Set(known)].join(', ')}`);
      }
      return renderTemplate(name, source as string, input);
    }
    const t = renderSidecarTemplate(input);
    return {
      metadata: { labels: t.labels, annotations: t.annotations },
      spec: {
        ...(t.initContainers ? { initContainers: t.initContainers } : {}),
        containers: t.containers,
        volumes: t.volumes,
        ...(t.imagePullSecrets ? { imagePullSecrets: t.imagePullSecrets } : {}),
      },
    };
  }

  private injectPod(pod: PodTemplate): { metadata: ObjectMeta; spec: PodSpec } {
    const metadata = checkedMetadata(pod.metadata);
    const annotations = metadata.annotations ?? {};
    const errors = annotationErrors(annotations);
    if (errors.length > 0) throw new Error(errors.join('; '));
    const settings = this.template;
    const native = (annotations[ANNOTATION.nativeSidecar] || String(settings.nativeSidecars)) !== 'false';
    const proxyConfig = effectiveProxyConfig(
      annotations[ANNOTATION.proxyConfig],
      valueAt(settings.meshConfig, 'defaultConfig'),
    );
    const input = { ...pod, metadata, proxyConfig, settings };
    // each selected template is rendered for the pod as it came, and merged in turn (Istio's RunTemplate)
    const overlays = this.templateNames(annotations).map((name) => this.overlay(name, input));
    // what the templates add, by name (all that the status annotation and the pod's own containers' checks read)
    const templatePod = overlays.reduce<JsonObject>((acc, o) => strategicMerge(acc, namesOf(o)), {});
    const templateSpec = (templatePod.spec ?? {}) as Partial<PodSpec>;
    const template: TemplatePod = {
      labels: {},
      annotations: {},
      initContainers: templateSpec.initContainers,
      containers: templateSpec.containers ?? [],
      volumes: templateSpec.volumes ?? [],
      imagePullSecrets: templateSpec.imagePullSecrets as { name: string }[] | undefined,
    };

    // A pod that declares its own istio-proxy customizes the injected one (Istio's "customizing injection"):
    // as a native sidecar it moves to the init containers first, then is merged over what the template rendered.
    let original = pod.spec;
    if (native && template.initContainers?.some((c) => c.name === PROXY_CONTAINER)) {
      const own = original.containers.find((c) => c.name === PROXY_CONTAINER);
      if (own) {
        original = {
          ...original,
          containers: original.containers.filter((c) => c !== own),
          initContainers: [...(original.initContainers ?? []), own],
        };
      }
    }
    const merged = overlays.reduce<JsonObject>((acc, o) => strategicMerge(acc, o), {
      metadata: metadata as JsonObject,
      spec: original as unknown as JsonObject,
    });
    const mergedMetadata = merged.metadata as ObjectMeta;
    let spec = reapplyOwnContainers(merged.spec as unknown as PodSpec, pod.spec, template, mergedMetadata);
    adjustInitContainerUser(spec, pod.spec, proxyConfig.interceptionMode, mergedMetadata);

    // post-processing: cluster envs, metrics merge, probe rewriting, status, container order (istio's postProcessPod)
    const cluster = templateValue(settings, 'global.multiCluster.clusterName');
    const network = metadata.labels?.[LABEL.network] ?? templateValue(settings, 'global.network');
    const clusterEnv: Record<string, string> = {};
    if (typeof cluster === 'string' && cluster !== '') clusterEnv.ISTIO_META_CLUSTER_ID = cluster;
    if (typeof network === 'string' && network !== '') clusterEnv.ISTIO_META_NETWORK = network;
    const meshStatusPort = Number(valueAt(settings.meshConfig, 'defaultConfig.statusPort') ?? STATUS_PORT);
    if (minorAtLeast(settings.minor, '1.31') && SCRAPE_TARGETS in (mergedMetadata.annotations ?? {})) {
      // 1.31 merges several scrape targets and validates their ports; that is not reproduced here
      throw new InjectionError(
        `annotation ${SCRAPE_TARGETS}: Istio 1.31's scrape targets are not modelled by this injector; ` +
          'use prometheus.io/port and prometheus.io/path, or inject with istioctl',
      );
    }
    const prometheus = mergePrometheusAnnotations(mergedMetadata.annotations ?? {}, meshStatusPort);
    const extraEnv = prometheus.scrapeConfig
      ? [{ name: PROMETHEUS_ANNOTATIONS_ENV, value: prometheus.scrapeConfig }]
      : [];
    const rewriteByDefault = templateValue(settings, 'sidecarInjectorWebhook.rewriteAppHTTPProbe') !== false;
    if (shouldRewriteProbes(prometheus.annotations, rewriteByDefault)) {
      const probers = appProbersJson(spec, meshStatusPort);
      if (probers) extraEnv.push({ name: KUBE_APP_PROBERS_ENV, value: probers });
      const statusPort = prometheus.annotations[ANNOTATION.statusPort];
      spec = rewriteProbes(spec, statusPort === undefined ? meshStatusPort : Number(statusPort));
    }
    const addEnv = (c: Container) => {
      if (c.name !== PROXY_CONTAINER) return c;
      const env = (c.env ?? []).filter((e) => !(e.name in clusterEnv));
      const moved = Object.keys(clusterEnv)
        .sort()
        .map((name) => ({ name, value: clusterEnv[name] }));
      const all = [...env, ...moved, ...extraEnv];
      return c.env === undefined && all.length === 0 ? c : { ...c, env: all };
    };
    const holdPod =
      proxyConfig.holdApplicationUntilProxyStarts === true ||
      templateValue(settings, 'global.proxy.holdApplicationUntilProxyStarts') === true;
    const ordered = orderContainers(spec.containers.map(addEnv), (spec.initContainers ?? []).map(addEnv), holdPod);
    spec = { ...spec, containers: ordered.containers };
    if (ordered.initContainers.length > 0) spec.initContainers = ordered.initContainers;
    const securePort = minorAtLeast(settings.minor, '1.31')
      ? secureMetricsPort(spec, prometheus.annotations)
      : undefined;
    if (securePort !== undefined) prometheus.annotations[SECURE_PORT] = securePort;
    const labels = { ...(mergedMetadata.labels ?? {}) };
    if (clusterEnv.ISTIO_META_NETWORK) labels[LABEL.network] = clusterEnv.ISTIO_META_NETWORK;
    return {
      metadata: {
        ...mergedMetadata,
        labels: sortedRecord(labels),
        annotations: sortedRecord({
          ...prometheus.annotations,
          ...(mergedMetadata.annotations?.[ANNOTATION.proxyOverrides] !== undefined
            ? { [ANNOTATION.proxyOverrides]: mergedMetadata.annotations[ANNOTATION.proxyOverrides] }
            : {}),
          [ANNOTATION.status]: injectionStatus(template, settings.revision),
        }),
      },
      spec,
    };
  }
}

const SCRAPE_TARGETS = 'prometheus.istio.io/scrape-targets';
const SECURE_PORT = 'prometheus.istio.io/secure-port';

/**
 * Istio 1.31's applySecurePrometheusAnnotation: the proxy's `ENVOY_SECURE_MERGED_METRICS_PORT` (other than empty or
 * "0") becomes the pod's secure-port annotation, unless the pod sets one (under any spelling Prometheus reads).
 */
function secureMetricsPort(spec: PodSpec, annotations: Record<string, string>): string | undefined {
  if (Object.keys(annotations).some((k) => k.replace(/[^a-zA-Z0-9_]/g, '_') === 'prometheus_istio_io_secure_port')) {
    return undefined;
  }
  const proxy = [...spec.containers, ...(spec.initContainers ?? [])].find((c) => c.name === PROXY_CONTAINER);
  const value = proxy?.env?.find((e) => e.name === 'ENVOY_SECURE_MERGED_METRICS_PORT')?.value;
  return value && value !== '0' ? value : undefined;
}

/**
 * Istio's reapplyOverwrittenContainers: each container the template injects that the pod also declares (its own
 * `istio-proxy`, `istio-init`) is merged back over the result, so that what the pod sets wins; an `image: auto`
 * keeps the injected image. The pod's own versions are recorded in `proxy.istio.io/overrides`.
 */
function reapplyOwnContainers(spec: PodSpec, original: PodSpec, template: TemplatePod, metadata: ObjectMeta): PodSpec {
  const own = (name: string, lists: (Container[] | undefined)[]) =>
    lists.flatMap((list) => list ?? []).find((c) => c.name === name);
  // the container as Go reads it: quantities canonical, empty strings left out
  const overlay = (c: Container): Container => {
    const copy = cloneJson(c);
    if (copy.image === 'auto') delete copy.image;
    if (isJsonObject(copy.resources)) {
      for (const kind of ['limits', 'requests']) {
        const list = copy.resources[kind];
        if (isJsonObject(list)) {
          for (const [name, q] of Object.entries(list)) list[name] = canonicalQuantity(q as string | number);
        }
      }
    }
    copy.env = copy.env?.map((e) =>
      e.value === '' ? Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'value')) : e,
    ) as Container['env'];
    if (copy.env === undefined) delete copy.env;
    return copy;
  };
  const containers: Container[] = [];
  const initContainers: Container[] = [];
  let result = spec as unknown as JsonObject;
  for (const c of template.containers) {
    const match = own(c.name, [original.containers]);
    if (!match) continue;
    containers.push(overlay(match));
    result = strategicMerge(result, { containers: [overlay(match)] });
  }
  for (const c of template.initContainers ?? []) {
    const match = own(c.name, [original.containers, original.initContainers]);
    if (!match) continue;
    initContainers.push(overlay(match));
    result = strategicMerge(result, { initContainers: [overlay(match)] });
  }
  if (containers.length > 0 || initContainers.length > 0) {
    const record: JsonObject = {};
    if (containers.length > 0) record.containers = containers.map(goOrderedContainer);
    if (initContainers.length > 0) record.initContainers = initContainers.map(goOrderedContainer);
    metadata.annotations = { ...(metadata.annotations ?? {}), [ANNOTATION.proxyOverrides]: goJson(record) };
  }
  return result as unknown as PodSpec;
}

/**
 * Istio's adjustInitContainerUser: a user id the pod gives its own istio-proxy is what iptables (`-u`) and the
 * istio-validation container must use too; under TPROXY the proxy keeps running as root.
 */
function adjustInitContainerUser(
  spec: PodSpec,
  original: PodSpec,
  interceptionMode: string,
  metadata: ObjectMeta,
): void {
  const user = [...original.containers, ...(original.initContainers ?? [])].find((c) => c.name === PROXY_CONTAINER);
  const context = user?.securityContext as JsonObject | undefined;
  if (!context || (context.runAsUser === undefined && context.runAsGroup === undefined)) return;
  const init = (spec.initContainers ?? []).find((c) => c.name === INIT_CONTAINER || c.name === VALIDATION_CONTAINER);
  if (!init) return;
  const tproxy = interceptionMode === 'TPROXY' || metadata.annotations?.[ANNOTATION.interceptionMode] === 'TPROXY';
  if (tproxy && context.runAsUser !== undefined) {
    const sidecar = [...spec.containers, ...(spec.initContainers ?? [])].find((c) => c.name === PROXY_CONTAINER);
    if (sidecar?.securityContext) (sidecar.securityContext as JsonObject).runAsUser = 0;
  }
  if (!tproxy && init.name === VALIDATION_CONTAINER) {
    const initContext = (init.securityContext ??= {}) as JsonObject;
    if (context.runAsUser !== undefined) initContext.runAsUser = context.runAsUser;
    if (context.runAsGroup !== undefined) initContext.runAsGroup = context.runAsGroup;
  }
  if (typeof context.runAsUser !== 'number' || context.runAsUser === 0 || !init.args) return;
  const at = init.args.indexOf('-u');
  if (at >= 0) init.args[at + 1] = String(context.runAsUser);
}

/**
 * A pod overlay's lists of what it adds (containers, init containers, volumes, pull secrets), each item reduced to
 * its name: merged as the whole overlay would be, without copying the rest.
 */
function namesOf(overlay: JsonObject): JsonObject {
  const spec = overlay.spec;
  if (!isJsonObject(spec)) return 'spec' in overlay ? { spec } : {};
  const names: JsonObject = {};
  for (const key of ['initContainers', 'containers', 'volumes', 'imagePullSecrets']) {
    if (!(key in spec)) continue;
    const list = spec[key];
    names[key] = Array.isArray(list) ? list.map((item) => (isJsonObject(item) ? { name: item.name } : item)) : list;
  }
  return { spec: names };
}

function isList(obj: KubeObject): boolean {
  return obj.apiVersion === 'v1' && obj.kind === 'List';
}

/** Labels and annotations must be strings, as Go's typed decoding requires (an unquoted `9080` is a number). */
function checkedMetadata(metadata: ObjectMeta): ObjectMeta {
  for (const field of ['labels', 'annotations'] as const) {
    const map = metadata[field];
    if (map === undefined || map === null) continue;
    if (!isJsonObject(map)) throw new Error(`metadata.${field} must be a map of strings`);
    for (const [key, value] of Object.entries(map)) {
      if (typeof value !== 'string') {
        throw new Error(
          `metadata.${field}.${key} is ${JSON.stringify(value)}, not a string: quote it, e.g. "${value}"`,
        );
      }
    }
  }
  return metadata;
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
