import {
  apiGroupOf,
  arr,
  CLUSTER_SCOPED_KINDS,
  labelsOf,
  num,
  rec,
  selects,
  str,
  type FieldPath,
  type Labels,
  type Manifest,
  type ObjectRef,
} from './object';
import { PROXY_CONTAINER, runsWithProxy, type InjectionMode, type InjectionWebhookSettings } from './sidecar-injection';
import { podTemplatePathOf } from './workload-kinds';

/**
 * The one typed index of a mesh's objects that the analyzer, the diagram and the diff read: objects by kind,
 * namespace and name, namespaces' labels, and the pods every workload runs, selectable by labels. Building it is
 * linear in the input; lookups are map reads.
 *
 * Reading is forgiving: a field of the wrong type counts as absent (schema validation reports it).
 */

/** An input object, with the identity findings and diffs name it by. */
export interface IndexedObject {
  readonly manifest: Manifest;
  readonly ref: ObjectRef;
  /** Position in the input, for a stable order of findings. */
  readonly index: number;
  /** It has a kind and a name (`metadata.name`, or `generateName` for objects the API server names). */
  readonly named: boolean;
}

export interface ContainerModel {
  readonly name: string;
  readonly image?: string;
  readonly ports: readonly { readonly name?: string; readonly containerPort: number; readonly protocol?: string }[];
  readonly runAsUser?: number;
  readonly path: FieldPath;
}

/** The pods a workload (or a bare Pod) runs, wherever its template lives. */
export interface PodModel {
  /** Left out for workloads outside the manifests (the control plane's ingress gateway). */
  readonly object?: IndexedObject;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly containers: readonly ContainerModel[];
  readonly initContainers: readonly ContainerModel[];
  readonly podRunAsUser?: number;
  readonly hostNetwork: boolean;
  /** The service account its pods run as. */
  readonly serviceAccount?: string;
  /** The node a Pod is bound to (`spec.nodeName`), when it is. */
  readonly nodeName?: string;
  /** `spec.replicas` (undefined for kinds without one, such as a DaemonSet). */
  readonly replicas?: number;
  /** An istio-proxy container is in the manifest (injected at synth time, or a gateway). */
  readonly proxyInManifest: boolean;
  /** Its pods will run with an Istio proxy, under the injection mode. */
  readonly inMesh: boolean;
  /** Where the pod template is, in the object. */
  readonly templatePath: FieldPath;
}

export interface ObjectIndexOptions {
  /**
   * The namespace of namespaced objects that name none (what `kubectl apply` would use).
   * @default 'default'
   */
  readonly defaultNamespace?: string;
  /**
   * How workloads get their sidecars.
   * @default - `manual` if any workload in the manifests carries an istio-proxy container, otherwise `auto`
   */
  readonly injection?: InjectionMode;
  /**
   * The injection webhook's settings, under `auto`.
   * @default - any revision, namespaces not injected by default
   */
  readonly webhook?: InjectionWebhookSettings;
}

export class ObjectIndex {
  readonly objects: readonly IndexedObject[];
  readonly injection: InjectionMode;
  readonly pods: PodModel[] = [];
  private readonly byKindMap = new Map<string, IndexedObject[]>();
  private readonly byName = new Map<string, IndexedObject>();
  private readonly podIndex = new LabelIndex<PodModel>();

  constructor(manifests: readonly Manifest[], options: ObjectIndexOptions = {}) {
    const defaultNamespace = options.defaultNamespace ?? 'default';
    this.objects = manifests.map((manifest, index) => {
      const kind = str(manifest.kind);
      const metadata = rec(manifest.metadata);
      const name = str(metadata.name) ?? str(metadata.generateName);
      const namespace = CLUSTER_SCOPED_KINDS.has(kind ?? '')
        ? undefined
        : (str(metadata.namespace) ?? defaultNamespace);
      return {
        manifest,
        index,
        named: kind !== undefined && name !== undefined,
        ref: {
          apiVersion: String(manifest.apiVersion),
          kind: kind ?? '(no kind)',
          name: name ?? '(no name)',
          namespace,
        },
      };
    });
    for (const object of this.objects) {
      if (!object.named) continue;
      push(this.byKindMap, object.ref.kind, object);
      this.byName.set(objectKey(object.ref.kind, object.ref.namespace, object.ref.name), object);
    }
    const templates = this.objects.flatMap((object) => (object.named ? readPodTemplate(object) : []));
    this.injection = options.injection ?? (templates.some((p) => p.proxyInManifest) ? 'manual' : 'auto');
    for (const pod of templates) {
      this.addPod({
        ...pod,
        inMesh: runsWithProxy(pod, this.namespaceLabels(pod.namespace), this.injection, options.webhook),
      });
    }
  }

  /** Named objects of a kind (any API group), in input order. */
  ofKind(kind: string, group?: string): readonly IndexedObject[] {
    const all = this.byKindMap.get(kind) ?? [];
    return group === undefined ? all : all.filter((o) => apiGroupOf(o.ref.apiVersion) === group);
  }

  /** An object by kind, namespace (undefined for cluster-scoped kinds) and name. */
  get(kind: string, namespace: string | undefined, name: string): IndexedObject | undefined {
    return this.byName.get(objectKey(kind, namespace, name));
  }

  /** A namespace's labels; none for a namespace the manifests do not declare. */
  namespaceLabels(namespace: string): Labels {
    return labelsOf(rec(this.get('Namespace', undefined, namespace)?.manifest.metadata).labels);
  }

  /** Adds pods that run outside the manifests (the control plane's gateways). */
  addPod(pod: PodModel): void {
    this.pods.push(pod);
    this.podIndex.add(pod);
  }

  /** Pods whose labels satisfy a selector, in one namespace or (namespace left out) in all. */
  selectPods(namespace: string | undefined, selector: Labels): readonly PodModel[] {
    return this.podIndex.select(namespace, selector);
  }
}

/** The key objects are identified by, in the index and in diffs: `Kind namespace/name` or `Kind name`. */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** Items indexed by namespace and by label pair, so that selecting is a map read and a short filter. */
export class LabelIndex<T extends { readonly namespace: string; readonly labels: Labels }> {
  private readonly byNamespace = new Map<string, T[]>();
  private readonly all: T[] = [];
  private readonly byPair = new Map<string, T[]>();

  add(item: T): void {
    this.all.push(item);
    push(this.byNamespace, item.namespace, item);
    for (const [key, value] of Object.entries(item.labels)) {
      push(this.byPair, pairKey(undefined, key, value), item);
      push(this.byPair, pairKey(item.namespace, key, value), item);
    }
  }

  select(namespace: string | undefined, selector: Labels): readonly T[] {
    const keys = Object.keys(selector);
    if (keys.length === 0) return namespace === undefined ? this.all : (this.byNamespace.get(namespace) ?? []);
    let candidates: T[] | undefined;
    for (const key of keys) {
      const list = this.byPair.get(pairKey(namespace, key, selector[key])) ?? [];
      if (!candidates || list.length < candidates.length) candidates = list;
    }
    return (candidates ?? []).filter((item) => selects(selector, item.labels));
  }
}

/**
 * Items with a label selector in a namespace (Services), indexed by one pair of their selector, so that finding the
 * items whose selector picks a set of labels reads the lists of those labels' pairs, not every item of the namespace.
 * An item without a selector (or an empty one) picks nothing.
 */
export class SelectorIndex<T extends { readonly namespace: string; readonly selector?: Labels }> {
  private readonly byPair = new Map<string, { item: T; order: number }[]>();
  private count = 0;

  add(item: T): void {
    const pairs = Object.entries(item.selector ?? {});
    if (pairs.length === 0) return;
    // any one pair of the selector will do: an item whose selector picks the labels has every pair among them
    const [key, value] = pairs[0];
    push(this.byPair, pairKey(item.namespace, key, value), { item, order: this.count++ });
  }

  /** The items in `namespace` whose selector picks `labels`, in the order they were added. */
  selecting(namespace: string, labels: Labels): T[] {
    const found: { item: T; order: number }[] = [];
    for (const [key, value] of Object.entries(labels)) {
      for (const entry of this.byPair.get(pairKey(namespace, key, value)) ?? []) {
        if (selects(entry.item.selector!, labels)) found.push(entry);
      }
    }
    return found.sort((a, b) => a.order - b.order).map((entry) => entry.item);
  }
}

const pairKey = (namespace: string | undefined, key: string, value: string) =>
  `${namespace ?? ''}\u0000${key}\u0000${value}`;

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function readPodTemplate(object: IndexedObject): Omit<PodModel, 'inMesh'>[] {
  const templatePath = podTemplatePathOf(object.manifest);
  if (!templatePath) return [];
  const template = rec(templatePath.reduce<unknown>((node, key) => rec(node)[key], object.manifest));
  const metadata = rec(template.metadata);
  const spec = rec(template.spec);
  const containers = (list: unknown, at: string) =>
    arr(list).map((raw, i): ContainerModel => {
      const c = rec(raw);
      return {
        name: str(c.name) ?? '',
        image: str(c.image),
        ports: arr(c.ports).flatMap((p) => {
          const containerPort = num(rec(p).containerPort);
          return containerPort === undefined
            ? []
            : [{ name: str(rec(p).name), containerPort, protocol: str(rec(p).protocol) }];
        }),
        runAsUser: num(rec(c.securityContext).runAsUser),
        path: [...templatePath, 'spec', at, i],
      };
    });
  const main = containers(spec.containers, 'containers');
  const init = containers(spec.initContainers, 'initContainers');
  const replicas =
    object.ref.kind === 'Pod' ||
    object.ref.kind === 'DaemonSet' ||
    object.ref.kind === 'CronJob' ||
    object.ref.kind === 'Job'
      ? undefined
      : (num(rec(object.manifest.spec).replicas) ?? 1);
  return [
    {
      object,
      kind: object.ref.kind,
      name: object.ref.name,
      namespace: object.ref.namespace ?? '',
      labels: labelsOf(metadata.labels),
      annotations: labelsOf(metadata.annotations),
      containers: main,
      initContainers: init,
      podRunAsUser: num(rec(spec.securityContext).runAsUser),
      hostNetwork: spec.hostNetwork === true,
      serviceAccount: str(spec.serviceAccountName) ?? str(spec.serviceAccount) ?? 'default',
      nodeName: str(spec.nodeName),
      replicas,
      proxyInManifest: [...main, ...init].some((c) => c.name === PROXY_CONTAINER),
      templatePath,
    },
  ];
}
