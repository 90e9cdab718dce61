import { parse as parseYaml } from 'yaml';
import { ObjectIndex, SelectorIndex, type IndexedObject, type PodModel } from '../kube/object-index';
import {
  apiGroupOf,
  arr,
  labelsOf,
  num,
  rec,
  str,
  strings,
  type FieldPath,
  type Labels,
  type Manifest,
} from '../kube/object';
import type { InjectionMode } from '../kube/sidecar-injection';
import {
  DATAPLANE_MODE_LABEL,
  INGRESS_USE_WAYPOINT_LABEL,
  USE_WAYPOINT_LABEL,
  WAYPOINT_FOR_LABEL,
  isWaypoint,
} from '../kube/ambient';
import type { CallGraph } from './call-graph';
import { CLUSTER_DOMAIN, hostsOverlap, toFqdn } from './hosts';
import type { MeshContext } from './mesh-context';

/**
 * The manifests of a mesh, read once into models and indexes that every check shares: Services by host,
 * workloads by label, Istio objects by kind. Building it is linear in the input; lookups are map reads, so that the
 * checks stay linear too (a thousand services analyze in a fraction of a second).
 *
 * Reading is forgiving: a field of the wrong type counts as absent (schema validation reports it).
 */

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
  readonly object?: IndexedObject;
  readonly name: string;
  readonly namespace: string;
  readonly fqdn: string;
  readonly type?: string;
  readonly ports: readonly ServicePortModel[];
  /** Left out when the Service has no selector (its endpoints are managed by hand). */
  readonly selector?: Labels;
  /** @default {} */
  readonly labels?: Labels;
}

/** An Istio waypoint: a Gateway API Gateway of class `istio-waypoint`. */
export interface WaypointModel {
  readonly object: IndexedObject;
  readonly namespace: string;
  readonly name: string;
  /** What traffic it handles (`istio.io/waypoint-for`): service (its default), workload, all or none. */
  readonly trafficType: string;
}

/** A policy's `targetRef` or one of its `targetRefs`. */
export interface TargetRefModel {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface ServiceEntryModel {
  readonly object: IndexedObject;
  readonly namespace: string;
  readonly hosts: readonly string[];
  readonly ports: readonly number[];
  readonly workloadSelector?: Labels;
}

/** What a host resolves to: a Kubernetes Service or a ServiceEntry. */
export type HostTarget =
  | { readonly kind: 'Service'; readonly service: ServiceModel; readonly ports: readonly number[] }
  | { readonly kind: 'ServiceEntry'; readonly entry: ServiceEntryModel; readonly ports: readonly number[] };

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
  readonly object: IndexedObject;
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
  readonly object: IndexedObject;
  readonly namespace: string;
  readonly host: string;
  readonly exportTo: readonly string[];
  readonly trafficPolicy: TrafficPolicyModel;
  readonly subsets: readonly {
    readonly name: string;
    readonly labels: Labels;
    readonly trafficPolicy: TrafficPolicyModel;
    readonly path: FieldPath;
  }[];
}

export interface GatewayModel {
  readonly object: IndexedObject;
  readonly namespace: string;
  readonly name: string;
  readonly selector: Labels;
  readonly servers: readonly { readonly port?: number; readonly hosts: readonly string[]; readonly path: FieldPath }[];
}

/** A policy attached to workloads by a selector (AuthorizationPolicy, PeerAuthentication, RequestAuthentication). */
export interface SelectorPolicy {
  readonly object: IndexedObject;
  readonly namespace: string;
  /** Left out when the policy has no selector (it applies to its whole namespace, or the mesh in the root namespace). */
  readonly selector?: Labels;
  /** The policy is attached by `targetRef(s)` (to gateways or waypoints), not by a selector. */
  readonly targetsRefs: boolean;
  /** Its `targetRef` and `targetRefs`. */
  readonly targetRefs: readonly TargetRefModel[];
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

export class Mesh {
  readonly objects: readonly IndexedObject[];
  readonly injection: InjectionMode;
  readonly rootNamespace: string;
  /** The Istio minor whose istioctl judges the mesh (MeshContext.istioMinor). */
  readonly istioMinor?: string;
  readonly callGraph?: CallGraph;
  /** Whether gateways outside the manifests are known (see MeshContext.ingressGateways). */
  readonly gatewayWorkloadsKnown: boolean;

  readonly namespaces = new Map<string, IndexedObject>();
  readonly services = new Map<string, ServiceModel>();
  readonly serviceEntries: ServiceEntryModel[] = [];
  /** Every pod template, the control plane's gateways included. */
  readonly workloads: readonly PodModel[];
  readonly index: ObjectIndex;
  /**
   * istiod's mesh config: the context's, else the `mesh` of an `istio` ConfigMap in the root namespace among the
   * manifests (as istioctl reads it from the cluster), else empty (Istio's defaults).
   */
  readonly meshConfig: Readonly<Record<string, unknown>>;
  readonly virtualServices: VirtualServiceModel[] = [];
  readonly destinationRules: DestinationRuleModel[] = [];
  readonly gateways = new Map<string, GatewayModel>();
  readonly authorizationPolicies: AuthorizationPolicyModel[] = [];
  readonly peerAuthentications: PeerAuthenticationModel[] = [];
  readonly requestAuthentications: SelectorPolicy[] = [];
  /** Waypoints, by `<namespace>/<name>`. */
  readonly waypoints = new Map<string, WaypointModel>();
  /** The identities (`<namespace>/<service account>`) of the ingress gateways the context names. */
  readonly gatewayIdentities = new Set<string>();

  private readonly hostIndex = new Map<string, HostTarget>();
  private readonly wildcardHosts: { scope: string; host: string; target: HostTarget }[] = [];
  private readonly endpointCache = new Map<ServiceModel, readonly PodModel[]>();
  private readonly serviceSelectors = new SelectorIndex<ServiceModel>();
  private readonly servicesCache = new Map<PodModel, readonly ServiceModel[]>();

  constructor(manifests: readonly Manifest[], context: MeshContext = {}) {
    this.rootNamespace = context.rootNamespace ?? 'istio-system';
    this.istioMinor = context.istioMinor;
    this.callGraph = context.callGraph;
    this.gatewayWorkloadsKnown = context.ingressGateways !== undefined;
    this.index = new ObjectIndex(manifests, {
      defaultNamespace: context.defaultNamespace,
      injection: context.injection,
    });
    this.objects = this.index.objects;
    this.injection = this.index.injection;
    this.workloads = this.index.pods;
    const named = this.objects.filter((object) => object.named);
    this.meshConfig = context.meshConfig ?? meshConfigIn(this.index, this.rootNamespace);
    for (const object of this.index.ofKind('Namespace')) this.namespaces.set(object.ref.name, object);
    for (const gateway of context.ingressGateways ?? []) {
      const labels = { ...gateway.labels };
      if (gateway.serviceAccount) this.gatewayIdentities.add(`${gateway.namespace}/${gateway.serviceAccount}`);
      this.index.addPod({
        kind: 'Deployment',
        name: gateway.name,
        namespace: gateway.namespace,
        labels,
        annotations: {},
        containers: [],
        initContainers: [],
        hostNetwork: false,
        serviceAccount: gateway.serviceAccount,
        proxyInManifest: true,
        inMesh: true,
        templatePath: [],
      });
      this.addService(
        {
          name: gateway.name,
          namespace: gateway.namespace,
          fqdn: `${gateway.name}.${gateway.namespace}.${CLUSTER_DOMAIN}`,
          selector: labels,
          type: 'LoadBalancer',
          ports: gateway.ports.map((p) => ({
            name: p.name,
            port: p.port,
            targetPort: p.targetPort,
            protocol: 'TCP',
            path: [],
          })),
        },
        '*',
      );
    }

    for (const object of named) this.read(object);
  }

  /** Reads one object into the models it feeds (Istio kinds whatever their version). */
  private read(object: IndexedObject): void {
    const { manifest, ref } = object;
    const group = apiGroupOf(ref.apiVersion);
    const namespace = ref.namespace ?? '';
    const spec = rec(manifest.spec);
    if (group === '' && ref.kind === 'Service') {
      const annotations = labelsOf(rec(manifest.metadata).annotations);
      const exportTo = annotations['networking.istio.io/exportTo'];
      this.addService(
        {
          object,
          name: ref.name,
          namespace,
          fqdn: `${ref.name}.${namespace}.${CLUSTER_DOMAIN}`,
          type: str(spec.type),
          selector: spec.selector === undefined ? undefined : labelsOf(spec.selector),
          labels: labelsOf(rec(manifest.metadata).labels),
          ports: arr(spec.ports).flatMap((raw, i) => {
            const p = rec(raw);
            const port = num(p.port);
            if (port === undefined) return [];
            const targetPort = num(p.targetPort) ?? str(p.targetPort);
            return [
              {
                name: str(p.name),
                port,
                targetPort,
                protocol: str(p.protocol) ?? 'TCP',
                appProtocol: str(p.appProtocol),
                path: ['spec', 'ports', i],
              },
            ];
          }),
        },
        exportTo ?? '*',
      );
    } else if (group === 'networking.istio.io') {
      this.readNetworking(object, namespace, spec);
    } else if (isWaypoint(manifest)) {
      const trafficType = labelsOf(rec(manifest.metadata).labels)[WAYPOINT_FOR_LABEL] ?? 'service';
      this.waypoints.set(`${namespace}/${ref.name}`, { object, namespace, name: ref.name, trafficType });
    } else if (group === 'security.istio.io') {
      const policy: SelectorPolicy = {
        object,
        namespace,
        selector: spec.selector === undefined ? undefined : labelsOf(rec(spec.selector).matchLabels),
        targetsRefs: spec.targetRef !== undefined || arr(spec.targetRefs).length > 0,
        targetRefs: [...(spec.targetRef === undefined ? [] : [spec.targetRef]), ...arr(spec.targetRefs)].map((raw) => {
          const r = rec(raw);
          return {
            group: str(r.group) ?? '',
            kind: str(r.kind) ?? '',
            name: str(r.name) ?? '',
            namespace: str(r.namespace),
          };
        }),
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

  private readNetworking(object: IndexedObject, namespace: string, spec: Record<string, unknown>): void {
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
              route: arr(r.route).map((d, j) =>
                destination(rec(d).destination, [...path, 'route', j, 'destination'], num(rec(d).weight)),
              ),
              mirrors: [
                ...mirror,
                ...arr(r.mirrors).map((m, j) =>
                  destination(rec(m).destination, [...path, 'mirrors', j, 'destination']),
                ),
              ],
              path,
            };
          });
        this.virtualServices.push({
          object,
          namespace,
          hosts: strings(spec.hosts),
          gateways: strings(spec.gateways),
          exportTo: strings(spec.exportTo),
          http: routes('http'),
          tcp: routes('tcp'),
          tls: routes('tls'),
        });
        break;
      }
      case 'DestinationRule':
        this.destinationRules.push({
          object,
          namespace,
          host: str(spec.host) ?? '',
          exportTo: strings(spec.exportTo),
          trafficPolicy: trafficPolicy(spec.trafficPolicy),
          subsets: arr(spec.subsets).map((raw, i) => {
            const s = rec(raw);
            return {
              name: str(s.name) ?? '',
              labels: labelsOf(s.labels),
              trafficPolicy: trafficPolicy(s.trafficPolicy),
              path: ['spec', 'subsets', i],
            };
          }),
        });
        break;
      case 'Gateway':
        this.gateways.set(`${namespace}/${object.ref.name}`, {
          object,
          namespace,
          name: object.ref.name,
          selector: labelsOf(spec.selector),
          servers: arr(spec.servers).map((raw, i) => {
            const s = rec(raw);
            return { port: num(rec(s.port).number), hosts: strings(s.hosts), path: ['spec', 'servers', i] };
          }),
        });
        break;
      case 'ServiceEntry': {
        const entry: ServiceEntryModel = {
          object,
          namespace,
          hosts: strings(spec.hosts),
          ports: arr(spec.ports).flatMap((p) => num(rec(p).number) ?? []),
          workloadSelector:
            spec.workloadSelector === undefined ? undefined : labelsOf(rec(spec.workloadSelector).labels),
        };
        this.serviceEntries.push(entry);
        const target: HostTarget = { kind: 'ServiceEntry', entry, ports: entry.ports };
        const exportTo = strings(spec.exportTo);
        const scopes =
          exportTo.length === 0 || exportTo.includes('*') ? ['*'] : exportTo.map((e) => (e === '.' ? namespace : e));
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
    this.serviceSelectors.add(service);
    const target: HostTarget = { kind: 'Service', service, ports: service.ports.map((p) => p.port) };
    for (const scope of exportTo.split(',').map((s) => s.trim())) {
      this.hostIndex.set(`${scope === '.' ? service.namespace : scope}/${service.fqdn}`, target);
    }
  }

  /**
   * Whether a namespace's pods are in the ambient mesh: its Namespace is labelled `istio.io/dataplane-mode: ambient`
   * and not for sidecar injection (`istio-injection: enabled` or `istio.io/rev` win, as istioctl reads them).
   */
  ambientNamespace(namespace: string): boolean {
    const object = this.namespaces.get(namespace);
    if (!object) return false;
    const labels = labelsOf(rec(object.manifest.metadata).labels);
    if (labels['istio-injection'] === 'enabled' || labels['istio.io/rev']) return false;
    return labels[DATAPLANE_MODE_LABEL] === 'ambient';
  }

  /**
   * Whether ztunnel carries a workload's traffic: it is in an ambient namespace (or labelled into ambient), has no
   * proxy of its own, and is not labelled out.
   */
  inAmbient(workload: PodModel): boolean {
    const mode = workload.labels[DATAPLANE_MODE_LABEL];
    if (workload.proxyInManifest || workload.inMesh || mode === 'none') return false;
    return mode === 'ambient' || this.ambientNamespace(workload.namespace);
  }

  /**
   * The waypoint that traffic to a Service goes through: the one its `istio.io/use-waypoint` label (or its
   * namespace's) names, if that waypoint exists and handles service traffic. An ingress gateway's calls use it only
   * when the Service is labelled `istio.io/ingress-use-waypoint: "true"`.
   */
  waypointOf(service: ServiceModel, fromIngressGateway = false): WaypointModel | undefined {
    const labels = service.labels ?? {};
    if (fromIngressGateway && labels[INGRESS_USE_WAYPOINT_LABEL] !== 'true') return undefined;
    const namespaceObject = this.namespaces.get(service.namespace);
    const name =
      labels[USE_WAYPOINT_LABEL] ??
      (namespaceObject && labelsOf(rec(namespaceObject.manifest.metadata).labels)[USE_WAYPOINT_LABEL]);
    if (name === undefined || name === 'none') return undefined;
    const waypoint = this.waypoints.get(`${service.namespace}/${name}`);
    return waypoint && ['service', 'all'].includes(waypoint.trafficType) ? waypoint : undefined;
  }

  /** PodModels whose pod labels satisfy a selector, in one namespace or (namespace left out) in all. */
  selectWorkloads(namespace: string | undefined, selector: Labels): readonly PodModel[] {
    return this.index.selectPods(namespace, selector);
  }

  /** The workloads behind a Service: those its selector picks in its namespace (none without a selector). */
  endpointsOf(service: ServiceModel): readonly PodModel[] {
    let endpoints = this.endpointCache.get(service);
    if (!endpoints) {
      const { selector } = service;
      endpoints = selector && Object.keys(selector).length > 0 ? this.selectWorkloads(service.namespace, selector) : [];
      this.endpointCache.set(service, endpoints);
    }
    return endpoints;
  }

  /** The Services whose selector picks a workload (Services select pods in their own namespace). */
  servicesOf(workload: PodModel): readonly ServiceModel[] {
    let services = this.servicesCache.get(workload);
    if (!services) {
      services = this.serviceSelectors.selecting(workload.namespace, workload.labels);
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
        if (hostsOverlap(fqdn, service.fqdn))
          return { kind: 'Service', service, ports: service.ports.map((p) => p.port) };
      }
    }
    return undefined;
  }

  /** The Gateway a VirtualService names (`name` in its own namespace, or `namespace/name`). */
  gatewayNamed(reference: string, namespace: string): GatewayModel | undefined {
    return this.gateways.get(reference.includes('/') ? reference : `${namespace}/${reference}`);
  }
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

/** The mesh config in an `istio` ConfigMap's `mesh` key (YAML), if the manifests have one. */
function meshConfigIn(index: ObjectIndex, rootNamespace: string): Record<string, unknown> {
  const mesh = str(rec(index.get('ConfigMap', rootNamespace, 'istio')?.manifest.data).mesh);
  if (mesh === undefined) return {};
  try {
    return rec(parseYaml(mesh));
  } catch {
    return {};
  }
}
