import type { Labels } from './object';

/** How workloads get their sidecars: in the manifests (`manual`), from the cluster's webhook (`auto`), or not at all. */
export type InjectionMode = 'manual' | 'auto' | 'off';

/** The istio-proxy container's name, in `containers` or (a native sidecar) in `initContainers`. */
export const PROXY_CONTAINER = 'istio-proxy';

/** Namespaces Istio never injects and istioctl never analyzes (istio.io/istio pkg/kube/inject IgnoredNamespaces). */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set([
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'local-path-storage',
]);

/** The labels and annotation that opt a namespace or a pod in or out. */
export const INJECTION_LABEL = 'istio-injection';
export const REVISION_LABEL = 'istio.io/rev';
export const SIDECAR_INJECT = 'sidecar.istio.io/inject';

/** What the webhook sees of a pod. */
export interface PodInjectionInput {
  readonly namespace: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly hostNetwork?: boolean;
}

export interface InjectionWebhookSettings {
  /**
   * The control plane's revision. A namespace or pod labelled `istio.io/rev` with another revision is not this
   * control plane's to inject.
   * @default - any revision (some control plane serves it)
   */
  readonly revision?: string;
  /**
   * `sidecarInjectorWebhook.enableNamespacesByDefault`: every namespace not opted out is injected.
   * @default false
   */
  readonly enableNamespacesByDefault?: boolean;
}

/**
 * Whether the cluster's injection webhook gives a pod a sidecar, decided as Istio decides it: first the webhooks'
 * selectors from istiod's chart (a namespace webhook for namespaces labelled `istio-injection: enabled` or
 * `istio.io/rev`, an object webhook for pods labelled `sidecar.istio.io/inject: "true"` or `istio.io/rev` in
 * namespaces with neither label), then the injector's own `injectRequired` (pkg/kube/inject/inject.go): never with
 * host networking or in a system namespace, and a pod's `sidecar.istio.io/inject` (label over annotation) of
 * `false` opts it out.
 *
 * So a pod labelled `sidecar.istio.io/inject: "true"` in a namespace labelled `istio-injection: disabled` gets no
 * sidecar: no webhook selects it.
 */
export function webhookInjects(
  pod: PodInjectionInput,
  namespaceLabels: Labels,
  settings: InjectionWebhookSettings = {},
): boolean {
  if (!webhookSelects(pod, namespaceLabels, settings)) return false;
  if (pod.hostNetwork || SYSTEM_NAMESPACES.has(pod.namespace)) return false;
  const choice = pod.labels[SIDECAR_INJECT] ?? pod.annotations[SIDECAR_INJECT];
  return choice !== 'false';
}

/** Whether one of istiod's mutating webhooks is called for the pod (the selectors of its MutatingWebhookConfiguration). */
function webhookSelects(pod: PodInjectionInput, ns: Labels, settings: InjectionWebhookSettings): boolean {
  const ours = (revision: string) => settings.revision === undefined || revision === settings.revision;
  const podLabel = pod.labels[SIDECAR_INJECT];
  if (podLabel === 'false') return false; // every webhook's objectSelector: sidecar.istio.io/inject NotIn [false]
  const nsInjection = ns[INJECTION_LABEL];
  const nsRevision = ns[REVISION_LABEL];
  if (nsInjection !== undefined) return nsInjection === 'enabled' && settings.revision === undefined;
  if (nsRevision !== undefined) return ours(nsRevision);
  // object webhooks: the namespace has neither label
  const podRevision = pod.labels[REVISION_LABEL];
  if (podRevision !== undefined) return ours(podRevision);
  if (podLabel === 'true') return settings.revision === undefined;
  return settings.enableNamespacesByDefault === true;
}

/**
 * Whether a pod runs with an Istio proxy under an injection mode: it has one in its manifest, or (under `auto`) the
 * webhook adds one.
 */
export function runsWithProxy(
  pod: PodInjectionInput & { readonly proxyInManifest: boolean },
  namespaceLabels: Labels,
  mode: InjectionMode,
  settings?: InjectionWebhookSettings,
): boolean {
  if (pod.proxyInManifest) return true;
  return mode === 'auto' && webhookInjects(pod, namespaceLabels, settings);
}
