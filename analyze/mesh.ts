import type { InjectionMode } from '../config';
import type { Manifest } from '../kube/object';
import type { FieldPath } from '../validate/schema-validator';
import type { CallGraph } from './call-graph';
import type { ObjectRef } from './finding';
import { CLUSTER_DOMAIN, hostsOverlap, selects, toFqdn, type Labels } from './hosts';
import type { MeshContext } from './mesh-context';

/**
 * The manifests of a mesh, read once into models and indexes that every check shares: Services by host,
 * workloads by label, Istio objects by kind. Building it is linear in the input; lookups are map reads, so that the
 * checks stay linear too (a thousand services analyze in a fraction of a second).
 *
 * Reading is forgiving: a field of the wrong type counts as absent (schema validation reports it).
 */

/** An input object. */
export interface MeshObject {
  readonly manifest: Manifest;
  readonly ref: ObjectRef;
  /** Position in the input, for a stable order of findings. */
  readonly index: number;
  /** It has a kind and a name (the analyzer reads only such objects; schema validation reports the others). */
  readonly named: boolean;
}

export interface ServicePortModel {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: number | string;
  readonly protocol: string;
  readonly appProtocol?: string;
  readonly path: FieldPath;
}

export interface ServiceModel {
  /** Left out for a Service outside the manifests (the control plane's ingress gateway). */
  readonly object?: MeshObject;
  readonly name: string;
  readonly namespace: string;
  readonly fqdn: string;
  readonly type?: string;
  readonly ports: readonly ServicePortModel[];
  /** Left out when the Service has no selector (its endpoints are managed by hand). */
  readonly selector?: Labels;
}

export interface ServiceEntryModel {
  readonly object: MeshObject;
  readonly namespace: string;
  readonly hosts: readonly string[];
  readonly ports: readonly number[];
  readonly workloadSelector?: Labels;
}

/** What a host resolves to: a Kubernetes Service or a ServiceEntry. */
export type HostTarget =
  | { readonly kind: 'Service'; readonly service: ServiceModel; readonly ports: readonly number[] }
  | { readonly kind: 'ServiceEntry'; readonly entry: ServiceEntryModel; readonly ports: readonly number[] };

export interface ContainerModel {
  readonly name: string;
  readonly ports: readonly { readonly name?: string; readonly containerPort: number }[];
  readonly runAsUser?: number;
  readonly path: FieldPath;
}

/** A pod template (or a Pod), wherever it lives. */
export interface Workload {
  /** Left out for workloads outside the manifests (the control plane's ingress gateway). */
  readonly object?: MeshObject;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly containers: readonly ContainerModel[];
  readonly initContainers: readonly ContainerModel[];
  readonly podRunAsUser?: number;
  readonly hostNetwork: boolean;
  /** The service account its pods run as; left out when unknown. */
  readonly serviceAccount?: string;
  /** An istio-proxy container is in the manifest (injected at synth time, or a gateway). */
  readonly proxyInManifest: boolean;
  /** Its pods will run with an Istio proxy, under the injection mode. */
  readonly inMesh: boolean;
  /** Where the pod template is, in the object. */
  readonly templatePath: FieldPath;
}

export interface DestinationModel {
  readonly host: string;
  readonly subset?: string;
  readonly port?: number;
  readonly weight?: number;
  readonly path: FieldPath;
}

export interface RouteModel {
  readonly name?: string;
  readonly match: readonly Record<string, unknown>[];
  readonly route: readonly DestinationModel[];
  readonly mirrors: readonly DestinationModel[];
  readonly path: FieldPath;
}

export interface VirtualServiceModel {
  readonly object: MeshObject;
  readonly namespace: string;
  readonly hosts: readonly string[];
  readonly gateways: readonly string[];
  readonly exportTo: readonly string[];
  readonly http: readonly RouteModel[];
  readonly tcp: readonly RouteModel[];
  readonly tls: readonly RouteModel[];
}

export interface TrafficPolicyModel {
  readonly tlsMode?: string;
  /** TLS mode per service port. */
  readonly portTlsModes: ReadonlyMap<number, string>;
}

export interface DestinationRuleModel {
  readonly object: MeshObject;
  readonly namespace: string;
  readonly host: string;
  readonly exportTo: readonly string[];
  readonly trafficPolicy: TrafficPolicyModel;
  readonly subsets: readonly { readonly name: string; readonly labels: Labels; readonly trafficPolicy: TrafficPolicyModel; readonly path: FieldPath }[];
}

export interface GatewayModel {
  readonly object: MeshObject;
  readonly namespace: string;
  readonly name: string;
  readonly selector: Labels;
  readonly servers: readonly { readonly port?: number; readonly hosts: readonly string[]; readonly path: FieldPath }[];
}

/** A policy attached to workloads by a selector (AuthorizationPolicy, PeerAuthentication, RequestAuthentication). */
export interface SelectorPolicy {
  readonly object: MeshObject;
  readonly namespace: string;
  /** Left out when the policy has no selector (it applies to its whole namespace, or the mesh in the root namespace). */
  readonly selector?: Labels;
  /** The policy is attached by `targetRef(s)` (to gateways or waypoints), not by a selector. */
  readonly targetsRefs: boolean;
}

export interface AuthorizationRuleModel {
  readonly from?: readonly Record<string, unknown>[];
  readonly to?: readonly Record<string, unknown>[];
  readonly when?: readonly unknown[];
  readonly path: FieldPath;
}

export interface AuthorizationPolicyModel extends SelectorPolicy {
  readonly action: string;
  readonly rules: readonly AuthorizationRuleModel[];
}

export interface PeerAuthenticationModel extends SelectorPolicy {
  readonly mode?: string;
  readonly portModes: ReadonlyMap<number, string>;
}

/** Namespaces Istio never injects and istioctl never analyzes (istio.io/istio pkg/kube/inject IgnoredNamespaces). */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

/** Kinds without a namespace; every other kind is read as namespaced (its namespace defaulted as kubectl does). */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'PriorityClass',
  'IngressClass', 'RuntimeClass', 'CustomResourceDefinition', 'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration', 'APIService', 'CSIDriver', 'CSINode', 'VolumeAttachment',
]);

const POD_TEMPLATE_PATHS: Readonly<Record<string, FieldPath>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  Pod: [],
};

/** API groups of the workload kinds above (core, apps, batch). */
const WORKLOAD_GROUPS = new Set(['', 'apps', 'batch']);

/** The istio-proxy container's name, in `containers` or (a native sidecar) in `initContainers`. */
export const PROXY_CONTAINER = 'istio-proxy';

export class Mesh {
  readonly objects: readonly MeshObject[];
  readonly injection: InjectionMode;
  readonly rootNamespace: string;
  readonly callGraph?: CallGraph;
  /** Whether gateways outside the manifests are known (see MeshContext.ingressGateways). */
  readonly gatewayWorkloadsKnown: boolean;

  readonly namespaces = new Map<string, MeshObject>();
  readonly services = new Map<string, ServiceModel>();
  readonly serviceEntries: ServiceEntryModel[] = [];
  readonly workloads: Workload[] = [];
  readonly virtualServices: VirtualServiceModel[] = [];
  readonly destinationRules: DestinationRuleModel[] = [];
  readonly gateways = new Map<string, GatewayModel>();
  readonly authorizationPolicies: AuthorizationPolicyModel[] = [];
  readonly peerAuthentications: PeerAuthenticationModel[] = [];
  readonly requestAuthentications: SelectorPolicy[] = [];

  private readonly hostIndex = new Map<string, HostTarget>();
  private readonly wildcardHosts: { scope: string; host: string; target: HostTarget }[] = [];
  private readonly workloadIndex = new LabelIndex<Workload>();
  private readonly endpointCache = new Map<ServiceModel, readonly Workload[]>();
  private readonly servicesByNamespace = new Map<string, ServiceModel[]>();
  private readonly servicesCache = new Map<Workload, readonly ServiceModel[]>();

  constructor(manifests: readonly Manifest[], context: MeshContext = {}) {
    const defaultNamespace = context.defaultNamespace ?? 'default';
    this.rootNamespace = context.rootNamespace ?? 'istio-system';
    this.callGraph = context.callGraph;
    this.gatewayWorkloadsKnown = context.ingressGateways !== undefined;
    this.objects = manifests.map((manifest, index) => {
      const kind = str(manifest.kind);
      const name = str(rec(manifest.metadata).name);
      const namespace = CLUSTER_SCOPED.has(kind ?? '') ? undefined : (str(rec(manifest.metadata).namespace) ?? defaultNamespace);
      return {
        manifest, index, named: kind !== undefined && name !== undefined,
        ref: { apiVersion: String(manifest.apiVersion), kind: kind ?? '(no kind)', name: name ?? '(no name)', namespace },
      };
    });
    const named = this.objects.filter((object) => object.named);
    for (const object of named) if (object.ref.kind === 'Namespace') this.namespaces.set(object.ref.name, object);

    const pods = named.flatMap((object) => readPodTemplate(object));
    this.injection = context.injection ?? (pods.some((p) => p.proxyInManifest) ? 'manual' : 'auto');
    for (const pod of pods) this.addWorkload({ ...pod, inMesh: this.runsWithProxy(pod) });
    for (const gateway of context.ingressGateways ?? []) {
      const labels = { ...gateway.labels };
      this.addWorkload({
        kind: 'Deployment', name: gateway.name, namespace: gateway.namespace, labels, annotations: {}, containers: [],
        initContainers: [], hostNetwork: false, proxyInManifest: true, inMesh: true, templatePath: [],
      });
      this.addService({
        name: gateway.name, namespace: gateway.namespace, fqdn: `${gateway.name}.${gateway.namespace}.${CLUSTER_DOMAIN}`,
        selector: labels, type: 'LoadBalancer',
        ports: gateway.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: 'TCP', path: [] })),
      }, '*');
    }

    for (const object of named) this.read(object);
  }

  /** Reads one object into the models it feeds (Istio kinds whatever their version). */
  private read(object: MeshObject): void {
    const { manifest, ref } = object;
    const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
    const namespace = ref.namespace ?? '';
    const spec = rec(manifest.spec);
    if (group === '' && ref.kind === 'Service') {
      const annotations = labelsOf(rec(manifest.metadata).annotations);
      const exportTo = annotations['networking.istio.io/exportTo'];
      this.addService(
        {
          object, name: ref.name, namespace, fqdn: `${ref.name}.${namespace}.${CLUSTER_DOMAIN}`, type: str(spec.type),
          selector: spec.selector === undefined ? undefined : labelsOf(spec.selector),
          ports: arr(spec.ports).flatMap((raw, i) => {
            const p = rec(raw);
            const port = num(p.port);
            if (port === undefined) return [];
            const targetPort = num(p.targetPort) ?? str(p.targetPort);
            return [{ name: str(p.name), port, targetPort, protocol: str(p.protocol) ?? 'TCP', appProtocol: str(p.appProtocol), path: ['spec', 'ports', i] }];
          }),
        },
        exportTo ?? '*',
      );
    } else if (group === 'networking.istio.io') {
      this.readNetworking(object, namespace, spec);
    } else if (group === 'security.istio.io') {
      const policy: SelectorPolicy = {
        object, namespace,
        selector: spec.selector === undefined ? undefined : labelsOf(rec(spec.selector).matchLabels),
        targetsRefs: spec.targetRef !== undefined || arr(spec.targetRefs).length > 0,
      };
      if (ref.kind === 'AuthorizationPolicy') {
        this.authorizationPolicies.push({
          ...policy,
          action: str(spec.action) ?? 'ALLOW',
          rules: arr(spec.rules).map((raw, i) => {
            const r = rec(raw);
            return {
              from: r.from === undefined ? undefined : arr(r.from).map(rec),
              to: r.to === undefined ? undefined : arr(r.to).map(rec),
              when: r.when === undefined ? undefined : arr(r.when),
              path: ['spec', 'rules', i],
            };
          }),
        });
      } else if (ref.kind === 'PeerAuthentication') {
        const portModes = new Map<number, string>();
        for (const [port, value] of Object.entries(rec(spec.portLevelMtls))) {
          const mode = str(rec(value).mode);
          if (mode) portModes.set(Number(port), mode);
        }
        this.peerAuthentications.push({ ...policy, mode: str(rec(spec.mtls).mode), portModes });
      } else if (ref.kind === 'RequestAuthentication') {
        this.requestAuthentications.push(policy);
      }
    }
  }

  private readNetworking(object: MeshObject, namespace: string, spec: Record<string, unknown>): void {
    switch (object.ref.kind) {
      case 'VirtualService': {
        const routes = (kind: 'http' | 'tcp' | 'tls') =>
          arr(spec[kind]).map((raw, i): RouteModel => {
            const r = rec(raw);
            const path = ['spec', kind, i];
            const mirror = r.mirror === undefined ? [] : [destination(r.mirror, [...path, 'mirror'])];
            return {
              name: str(r.name),
              match: arr(r.match).map(rec),
              route: arr(r.route).map((d, j) => destination(rec(d).destination, [...path, 'route', j, 'destination'], num(rec(d).weight))),
              mirrors: [...mirror, ...arr(r.mirrors).map((m, j) => destination(rec(m).destination, [...path, 'mirrors', j, 'destination']))],
              path,
            };
          });
        this.virtualServices.push({
          object, namespace, hosts: strings(spec.hosts), gateways: strings(spec.gateways), exportTo: strings(spec.exportTo),
          http: routes('http'), tcp: routes('tcp'), tls: routes('tls'),
        });
        break;
      }
      case 'DestinationRule':
        this.destinationRules.push({
          object, namespace, host: str(spec.host) ?? '', exportTo: strings(spec.exportTo),
          trafficPolicy: trafficPolicy(spec.trafficPolicy),
          subsets: arr(spec.subsets).map((raw, i) => {
            const s = rec(raw);
            return { name: str(s.name) ?? '', labels: labelsOf(s.labels), trafficPolicy: trafficPolicy(s.trafficPolicy), path: ['spec', 'subsets', i] };
          }),
        });
        break;
      case 'Gateway':
        this.gateways.set(`${namespace}/${object.ref.name}`, {
          object, namespace, name: object.ref.name, selector: labelsOf(spec.selector),
          servers: arr(spec.servers).map((raw, i) => {
            const s = rec(raw);
            return { port: num(rec(s.port).number), hosts: strings(s.hosts), path: ['spec', 'servers', i] };
          }),
        });
        break;
      case 'ServiceEntry': {
        const entry: ServiceEntryModel = {
          object, namespace, hosts: strings(spec.hosts),
          ports: arr(spec.ports).flatMap((p) => num(rec(p).number) ?? []),
          workloadSelector: spec.workloadSelector === undefined ? undefined : labelsOf(rec(spec.workloadSelector).labels),
        };
        this.serviceEntries.push(entry);
        const target: HostTarget = { kind: 'ServiceEntry', entry, ports: entry.ports };
        const exportTo = strings(spec.exportTo);
        const scopes = exportTo.length === 0 || exportTo.includes('*') ? ['*'] : exportTo.map((e) => (e === '.' ? namespace : e));
        for (const host of entry.hosts) {
          const fqdn = toFqdn(host, namespace);
          for (const scope of scopes) {
            if (fqdn.startsWith('*')) this.wildcardHosts.push({ scope, host: fqdn, target });
            else this.hostIndex.set(`${scope}/${fqdn}`, target);
          }
        }
        break;
      }
    }
  }

  private addService(service: ServiceModel, exportTo: string): void {
    this.services.set(`${service.namespace}/${service.name}`, service);
    push(this.servicesByNamespace, service.namespace, service);
    const target: HostTarget = { kind: 'Service', service, ports: service.ports.map((p) => p.port) };
    for (const scope of exportTo.split(',').map((s) => s.trim())) {
      this.hostIndex.set(`${scope === '.' ? service.namespace : scope}/${service.fqdn}`, target);
    }
  }

  private addWorkload(workload: Workload): void {
    this.workloads.push(workload);
    this.workloadIndex.add(workload);
  }

  /**
   * Whether a pod will run with an Istio proxy: it has one in the manifest, or (under `auto`) the injection webhook
   * adds one because its namespace or its own label opts in.
   */
  private runsWithProxy(pod: Omit<Workload, 'inMesh'>): boolean {
    if (pod.proxyInManifest) return true;
    if (this.injection !== 'auto' || pod.hostNetwork || SYSTEM_NAMESPACES.has(pod.namespace)) return false;
    const podChoice = pod.labels['sidecar.istio.io/inject'] ?? pod.annotations['sidecar.istio.io/inject'];
    if (podChoice === 'false') return false;
    const nsLabels = labelsOf(rec(this.namespaces.get(pod.namespace)?.manifest.metadata).labels);
    if (nsLabels['istio-injection'] === 'disabled') return false;
    return podChoice === 'true' || nsLabels['istio-injection'] === 'enabled' || nsLabels['istio.io/rev'] !== undefined;
  }

  /** Workloads whose pod labels satisfy a selector, in one namespace or (namespace left out) in all. */
  selectWorkloads(namespace: string | undefined, selector: Labels): readonly Workload[] {
    return this.workloadIndex.select(namespace, selector);
  }

  /** The workloads behind a Service: those its selector picks in its namespace (none without a selector). */
  endpointsOf(service: ServiceModel): readonly Workload[] {
    let endpoints = this.endpointCache.get(service);
    if (!endpoints) {
      const { selector } = service;
      endpoints = selector && Object.keys(selector).length > 0 ? this.selectWorkloads(service.namespace, selector) : [];
      this.endpointCache.set(service, endpoints);
    }
    return endpoints;
  }

  /** The Services whose selector picks a workload (Services select pods in their own namespace). */
  servicesOf(workload: Workload): readonly ServiceModel[] {
    let services = this.servicesCache.get(workload);
    if (!services) {
      services = (this.servicesByNamespace.get(workload.namespace) ?? []).filter(
        (service) => service.selector && Object.keys(service.selector).length > 0 && selects(service.selector, workload.labels),
      );
      this.servicesCache.set(workload, services);
    }
    return services;
  }

  /**
   * What a host resolves to for an object in `namespace` exported to `exportTo`, as istioctl resolves destination
   * hosts: Services (visible per their `networking.istio.io/exportTo`) and ServiceEntries, exact names first, then
   * wildcard entries. A wildcard host resolves to any visible Service it covers.
   */
  resolveHost(host: string, namespace: string, exportTo: readonly string[] = []): HostTarget | undefined {
    const fqdn = toFqdn(host, namespace);
    const scopes = ['*', ...(exportTo.length === 0 ? [namespace] : exportTo.map((e) => (e === '.' ? namespace : e)))];
    for (const scope of scopes) {
      const target = this.hostIndex.get(`${scope}/${fqdn}`);
      if (target) return target;
    }
    for (const { scope, host: pattern, target } of this.wildcardHosts) {
      if ((scope === '*' || scope === namespace) && fqdn.replace(/^\*/, '').endsWith(pattern.slice(1))) return target;
    }
    if (fqdn.startsWith('*')) {
      for (const service of this.services.values()) {
        if (hostsOverlap(fqdn, service.fqdn)) return { kind: 'Service', service, ports: service.ports.map((p) => p.port) };
      }
    }
    return undefined;
  }

  /** The Gateway a VirtualService names (`name` in its own namespace, or `namespace/name`). */
  gatewayNamed(reference: string, namespace: string): GatewayModel | undefined {
    return this.gateways.get(reference.includes('/') ? reference : `${namespace}/${reference}`);
  }
}

/** Workloads indexed by namespace and by label pair, so that selecting is a map read and a short filter. */
class LabelIndex<T extends { readonly namespace: string; readonly labels: Labels }> {
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

const pairKey = (namespace: string | undefined, key: string, value: string) => `${namespace ?? ''}\u0000${key}\u0000${value}`;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function readPodTemplate(object: MeshObject): Omit<Workload, 'inMesh'>[] {
  const templatePath = POD_TEMPLATE_PATHS[object.ref.kind];
  const group = object.ref.apiVersion.includes('/') ? object.ref.apiVersion.split('/')[0] : '';
  if (!templatePath || !WORKLOAD_GROUPS.has(group)) return [];
  const template = rec(templatePath.reduce<unknown>((node, key) => rec(node)[key], object.manifest));
  const metadata = rec(template.metadata);
  const spec = rec(template.spec);
  const containers = (list: unknown, at: string) =>
    arr(list).map((raw, i): ContainerModel => {
      const c = rec(raw);
      return {
        name: str(c.name) ?? '',
        ports: arr(c.ports).flatMap((p) => {
          const containerPort = num(rec(p).containerPort);
          return containerPort === undefined ? [] : [{ name: str(rec(p).name), containerPort }];
        }),
        runAsUser: num(rec(c.securityContext).runAsUser),
        path: [...templatePath, 'spec', at, i],
      };
    });
  const main = containers(spec.containers, 'containers');
  const init = containers(spec.initContainers, 'initContainers');
  return [{
    object, kind: object.ref.kind, name: object.ref.name, namespace: object.ref.namespace ?? '',
    labels: labelsOf(metadata.labels), annotations: labelsOf(metadata.annotations),
    containers: main, initContainers: init,
    podRunAsUser: num(rec(spec.securityContext).runAsUser),
    hostNetwork: spec.hostNetwork === true,
    serviceAccount: str(spec.serviceAccountName) ?? str(spec.serviceAccount) ?? 'default',
    proxyInManifest: [...main, ...init].some((c) => c.name === PROXY_CONTAINER),
    templatePath,
  }];
}

function destination(raw: unknown, path: FieldPath, weight?: number): DestinationModel {
  const d = rec(raw);
  return { host: str(d.host) ?? '', subset: str(d.subset) || undefined, port: num(rec(d.port).number), weight, path };
}

function trafficPolicy(raw: unknown): TrafficPolicyModel {
  const policy = rec(raw);
  const portTlsModes = new Map<number, string>();
  for (const setting of arr(policy.portLevelSettings)) {
    const port = num(rec(rec(setting).port).number);
    const mode = str(rec(rec(setting).tls).mode);
    if (port !== undefined && mode) portTlsModes.set(port, mode);
  }
  return { tlsMode: str(rec(policy.tls).mode), portTlsModes };
}

// Forgiving readers: a value of the wrong type reads as absent.
export const rec = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
export const arr = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const strings = (value: unknown): string[] => arr(value).filter((v): v is string => typeof v === 'string');
export function labelsOf(value: unknown): Labels {
  const labels: Record<string, string> = {};
  for (const [key, v] of Object.entries(rec(value))) if (typeof v === 'string') labels[key] = v;
  return labels;
}
