import { annotationErrors } from './annotation-validation';
import { KUBE_APP_PROBERS_ENV, appProbersJson, rewriteProbes, shouldRewriteProbes } from './app-probes';
import { orderContainers } from './container-order';
import { applyGoRoundTrip, applyGoRoundTripToList } from './go-round-trip';
import { injectionStatus } from './injection-status';
import { DEFAULT_PROXY_IMAGE, IGNORED_NAMESPACES, STATUS_PORT } from './istio-defaults';
import {
  isJsonObject,
  type Container,
  type JsonObject,
  type KubeObject,
  type ObjectMeta,
  type PodSpec,
} from '../kube/object';
import { ANNOTATION, LABEL, PROXY_CONTAINER } from './pod-annotations';
import { PROMETHEUS_ANNOTATIONS_ENV, mergePrometheusAnnotations } from './prometheus-merge';
import { effectiveProxyConfig } from './proxy-config';
import { renderSidecarTemplate, type SidecarSettings } from './sidecar-template';
import { strategicMerge } from './strategic-merge';
import { isWorkload, podTemplateOf, type PodTemplate } from '../kube/workload-kinds';

export interface SidecarInjectorProps {
  /**
   * Image of istio-proxy and of its init container.
   * @default 'docker.io/istio/proxyv2:1.30.3'
   */
  readonly proxyImage?: string;
  /**
   * Control plane revision (`istio.io/rev`): sets the istiod address and the revision in the status annotation.
   * @default - the default control plane
   */
  readonly revision?: string;
  /**
   * Run istio-proxy as a Kubernetes native sidecar (an init container with `restartPolicy: Always`), as Istio 1.30
   * does by default. A pod can choose with the `sidecar.istio.io/nativeSidecar` annotation.
   * @default true
   */
  readonly nativeSidecars?: boolean;
  /**
   * The cluster runs the Istio CNI plugin: pods get the unprivileged istio-validation init container instead of
   * istio-init (which needs NET_ADMIN and NET_RAW).
   * @default false
   */
  readonly cni?: boolean;
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
 * `istioctl kube-inject` of Istio 1.30.3, on plain Kubernetes objects: adds the Istio sidecar to every workload
 * (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, and those in a `List`)
 * exactly as istioctl would with default values and mesh config. Other objects are returned unchanged; so are pods
 * that opt out (`sidecar.istio.io/inject: "false"`), use the host network, run in a system namespace or already
 * carry a sidecar (`sidecar.istio.io/status`).
 */
export class SidecarInjector {
  private readonly settings: SidecarSettings;

  constructor(props: SidecarInjectorProps = {}) {
    this.settings = {
      proxyImage: props.proxyImage ?? DEFAULT_PROXY_IMAGE,
      revision: props.revision,
      nativeSidecars: props.nativeSidecars ?? true,
      cni: props.cni ?? false,
    };
    if (/\s/.test(this.settings.proxyImage) || this.settings.proxyImage === '') {
      throw new InjectionError(
        `proxy image ${JSON.stringify(this.settings.proxyImage)} must be an image reference without spaces`,
      );
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
    const copy = structuredClone(obj);
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

  private injectPod(pod: PodTemplate): { metadata: ObjectMeta; spec: PodSpec } {
    const metadata = checkedMetadata(pod.metadata);
    const annotations = metadata.annotations ?? {};
    const errors = annotationErrors(annotations);
    if (errors.length > 0) throw new Error(errors.join('; '));
    const allContainers = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
    if (allContainers.some((c) => c.name === PROXY_CONTAINER)) {
      throw new Error(
        `it defines a container named ${PROXY_CONTAINER}; customizing the injected proxy that way is not supported ` +
          'by this injector (use annotations, or auto injection)',
      );
    }

    const proxyConfig = effectiveProxyConfig(annotations[ANNOTATION.proxyConfig], this.settings.revision);
    const template = renderSidecarTemplate({ ...pod, metadata, proxyConfig, settings: this.settings });

    // merge the rendered template into the pod, as a strategic merge patch
    const merged = strategicMerge(
      { metadata: metadata as JsonObject, spec: pod.spec as unknown as JsonObject },
      {
        metadata: { labels: template.labels, annotations: template.annotations },
        spec: {
          ...(template.initContainers ? { initContainers: template.initContainers } : {}),
          containers: template.containers,
          volumes: template.volumes,
        },
      },
    );
    const mergedMetadata = merged.metadata as ObjectMeta;
    let spec = merged.spec as unknown as PodSpec;

    // post-processing: metrics merge, probe rewriting, status, container order (istio's postProcessPod)
    const prometheus = mergePrometheusAnnotations(mergedMetadata.annotations ?? {}, STATUS_PORT);
    const extraEnv = prometheus.scrapeConfig
      ? [{ name: PROMETHEUS_ANNOTATIONS_ENV, value: prometheus.scrapeConfig }]
      : [];
    if (shouldRewriteProbes(prometheus.annotations)) {
      const probers = appProbersJson(spec, STATUS_PORT);
      if (probers) extraEnv.push({ name: KUBE_APP_PROBERS_ENV, value: probers });
      const statusPort = prometheus.annotations[ANNOTATION.statusPort];
      spec = rewriteProbes(spec, statusPort === undefined ? STATUS_PORT : Number(statusPort));
    }
    const addEnv = (c: Container) => (c.name === PROXY_CONTAINER ? { ...c, env: [...(c.env ?? []), ...extraEnv] } : c);
    const ordered = orderContainers(
      spec.containers.map(addEnv),
      (spec.initContainers ?? []).map(addEnv),
      proxyConfig.holdApplicationUntilProxyStarts,
    );
    spec = { ...spec, containers: ordered.containers };
    if (ordered.initContainers.length > 0) spec.initContainers = ordered.initContainers;
    return {
      metadata: {
        ...mergedMetadata,
        labels: sortedRecord(mergedMetadata.labels ?? {}),
        annotations: sortedRecord({
          ...prometheus.annotations,
          [ANNOTATION.status]: injectionStatus(template, this.settings.revision),
        }),
      },
      spec,
    };
  }
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
