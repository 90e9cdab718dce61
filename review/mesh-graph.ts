import { ObjectIndex, type PodModel } from '../kube/object-index';
import type { Manifest } from '../kube/object';
import { DATAPLANE_MODE_LABEL, isWaypoint, USE_WAYPOINT_LABEL } from '../kube/ambient';
import { GATEWAY_API_GROUP } from '../kube/gateway-api';
import type {
  AuthorizationOperation,
  AuthorizationPolicySpec,
  AuthorizationSource,
  Destination,
  DestinationRuleSpec,
  GatewaySpec,
  HttpMatch,
  HttpRoute,
  KubernetesGatewaySpec,
  KubernetesHttpRouteSpec,
  Labels,
  ObjectReference,
  RouteRuleMatch,
  PeerAuthenticationSpec,
  ServiceSpec,
  StringMatch,
  TrafficPolicy,
  VirtualServiceSpec,
} from './mesh-objects';

/** What a node of the mesh graph stands for; the renderer gives each its own shape. */
export type MeshNodeKind =
  | 'clients'
  | 'ingress'
  | 'waypoint'
  | 'service'
  | 'workload'
  | 'identity'
  | 'external'
  | 'anyone'
  | 'missing'
  | 'empty';

export interface MeshNode {
  /** Identity within the graph, such as `service bookinfo/reviews`. */
  readonly key: string;
  readonly kind: MeshNodeKind;
  /** The node's text, one entry per line. */
  readonly lines: string[];
  /** Whether the node shows something a reviewer should look at (a route to a subset without pods, say). */
  readonly warning?: boolean;
}

export interface MeshEdge {
  readonly from: string;
  readonly to: string;
  /** `traffic`: where requests go (routes); `authorization`: who may call whom. */
  readonly style: 'traffic' | 'authorization';
  /** The edge's text, one entry per line; empty for none. */
  readonly lines: readonly string[];
}

/** The nodes of one namespace, drawn as a box. */
export interface MeshGroup {
  /** Also a node key: edges may point at a whole namespace. */
  readonly key: string;
  readonly title: string;
  /** What holds for the whole namespace: its mTLS mode, deny-by-default authorization. */
  readonly facts: string[];
  readonly nodes: MeshNode[];
}

/** The mesh as the synthesized objects describe it. */
export interface MeshGraph {
  /** Facts about the whole mesh, such as a mesh-wide mTLS mode. */
  readonly notes: string[];
  readonly groups: MeshGroup[];
  /** Nodes outside any namespace (clients, anyone, external hosts). */
  readonly nodes: MeshNode[];
  readonly edges: MeshEdge[];
}

export interface MeshGraphOptions {
  /**
   * The ingress gateway the control plane runs. Gateways that select its labels are drawn as it, and its service
   * account's principal (`<trust domain>/ns/<namespace>/sa/<name>`) is it.
   * @default - each Gateway's workload is drawn by its selector
   */
  readonly ingressGateway?: { readonly name: string; readonly namespace: string; readonly labels: Labels };
  /**
   * Istio's root namespace: PeerAuthentication and AuthorizationPolicy objects there without a selector apply to the
   * whole mesh.
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
}

/** Builds the graph of a mesh from plain Kubernetes and Istio objects. */
export function meshGraph(manifests: readonly Manifest[], options: MeshGraphOptions = {}): MeshGraph {
  return new MeshGraphBuilder(manifests, options).build();
}

const ANYONE = 'anyone';
const CLIENTS = 'clients';

interface Workload {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly serviceAccount: string;
  readonly services: Service[];
}

interface Service {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly workloads: Workload[];
}

interface Ingress {
  readonly key: string;
  readonly node: MeshNode;
}

class MeshGraphBuilder {
  private readonly rootNamespace: string;
  private readonly groups = new Map<string, MeshGroup>();
  private readonly outside = new Map<string, MeshNode>();
  /** Every node, in a group or not, by key. */
  private readonly nodes = new Map<string, MeshNode>();
  private readonly edges = new Map<string, MeshEdge>();
  private readonly notes: string[] = [];
  private readonly namespaceLabels = new Map<string, Labels>();
  /** Workloads by namespace, by namespace and one `label=value` of their pods, and by `namespace/account`. */
  private readonly workloadsByNamespace = new Map<string, Workload[]>();
  private readonly workloadsByLabel = new Map<string, Workload[]>();
  private readonly workloadsByAccount = new Map<string, Workload[]>();
  private readonly services = new Map<string, Service>();
  /** Services that a mesh VirtualService routes; the others spread requests over all their pods. */
  private readonly routedServices = new Set<string>();
  private readonly rules = new Map<string, DestinationRuleSpec>();
  private readonly gateways = new Map<string, Ingress>();
  /** Waypoints' node keys, by `namespace/name` (also the identity their pods run as). */
  private readonly waypoints = new Map<string, string>();
  /** Gateway API Gateways by `namespace/name`. */
  private readonly kubernetesGateways = new Map<string, Ingress>();
  /**
   * Services that select a subset of another Service's pods (per-version Services, as Gateway API routes send to):
   * drawn as the pods they select, not as nodes of their own.
   */
  private readonly narrowServices = new Map<string, Service>();

  private readonly index: ObjectIndex;

  constructor(
    manifests: readonly Manifest[],
    private readonly options: MeshGraphOptions,
  ) {
    this.rootNamespace = options.rootNamespace ?? 'istio-system';
    // the webhook injects what has no sidecar yet (the diagram shows dist/ as a cluster would run it)
    this.index = new ObjectIndex(manifests, { injection: 'auto' });
  }

  build(): MeshGraph {
    const byKind = (kind: string) => this.index.ofKind(kind).map((o) => o.manifest);
    for (const ns of byKind('Namespace')) {
      this.namespaceLabels.set(ns.metadata.name!, (ns.metadata.labels ?? {}) as Labels);
      const group = this.group(ns.metadata.name!);
      if (this.ambient(ns.metadata.name!)) group.facts.push('ambient: ztunnel on every node (mTLS, L4)');
    }
    for (const m of byKind('Gateway').filter(isWaypoint)) this.addWaypoint(m);
    for (const pod of this.index.pods) this.addWorkload(pod);
    const services = byKind('Service');
    for (const m of services) this.addService(m, isNarrowing(m, services));
    for (const m of byKind('DestinationRule')) this.addDestinationRule(m);
    const ofGroup = (kind: string, group: string) => this.index.ofKind(kind, group).map((o) => o.manifest);
    for (const m of ofGroup('Gateway', 'networking.istio.io')) this.addGateway(m);
    for (const m of ofGroup('Gateway', GATEWAY_API_GROUP).filter((g) => !isWaypoint(g))) this.addKubernetesGateway(m);
    for (const m of byKind('VirtualService')) this.addVirtualService(m);
    for (const m of ofGroup('HTTPRoute', GATEWAY_API_GROUP)) this.addHttpRoute(m);
    this.addDefaultRoutes();
    this.addMutualTls(byKind('PeerAuthentication'));
    for (const m of byKind('AuthorizationPolicy')) this.addAuthorizationPolicy(m);
    for (const group of this.groups.values()) {
      if (group.nodes.length === 0)
        this.addNode(group, { key: `${group.key} empty`, kind: 'empty', lines: ['no workloads yet'] });
      group.nodes.splice(0, group.nodes.length, ...this.inReadingOrder(group.nodes));
    }
    return {
      notes: this.notes,
      groups: [...this.groups.values()],
      nodes: [...this.outside.values()],
      edges: [...this.edges.values()],
    };
  }

  // --- objects -------------------------------------------------------------------------------------------------

  private addWorkload(pod: PodModel): void {
    const { namespace, labels } = pod;
    const workload: Workload = {
      key: `workload ${namespace}/${pod.name}`,
      namespace,
      name: pod.name,
      labels,
      serviceAccount: pod.serviceAccount ?? 'default',
      services: [],
    };
    append(this.workloadsByNamespace, namespace, workload);
    append(this.workloadsByAccount, `${namespace}/${workload.serviceAccount}`, workload);
    for (const [label, value] of Object.entries(labels))
      append(this.workloadsByLabel, `${namespace} ${label}=${value}`, workload);
    const sidecar = pod.proxyInManifest
      ? 'sidecar'
      : pod.inMesh
        ? 'sidecar at admission'
        : this.ambient(namespace) && labels[DATAPLANE_MODE_LABEL] !== 'none'
          ? 'ztunnel'
          : 'no sidecar';
    const { replicas } = pod;
    const facts = [
      labels.version,
      replicas === undefined ? undefined : `${replicas} replica${replicas === 1 ? '' : 's'}`,
      sidecar,
    ].filter(Boolean);
    this.addNode(this.group(namespace), {
      key: workload.key,
      kind: 'workload',
      lines: [workload.name, facts.join(' · ')],
      warning: sidecar === 'no sidecar',
    });
  }

  private addService(m: Manifest, narrow: boolean): void {
    const namespace = m.metadata.namespace ?? 'default';
    const spec = (m.spec ?? {}) as ServiceSpec;
    const service: Service = {
      key: `service ${namespace}/${m.metadata.name}`,
      namespace,
      name: m.metadata.name!,
      workloads: spec.selector ? this.selectWorkloads(namespace, spec.selector) : [],
    };
    if (narrow) {
      this.narrowServices.set(`${namespace}/${service.name}`, service);
      return;
    }
    for (const workload of service.workloads) workload.services.push(service);
    this.services.set(`${namespace}/${service.name}`, service);
    const ports = (spec.ports ?? []).map((p) => `:${p.port}`).join(' ');
    this.addNode(this.group(namespace), {
      key: service.key,
      kind: 'service',
      lines: [[service.name, ports].filter(Boolean).join(' ')],
    });
    const waypoint = this.waypoints.get(
      `${namespace}/${(m.metadata.labels as Labels | undefined)?.[USE_WAYPOINT_LABEL]}`,
    );
    if (waypoint) this.edge(service.key, waypoint, 'traffic', ['through its waypoint (L7)']);
  }

  private addWaypoint(m: Manifest): void {
    const namespace = m.metadata.namespace ?? 'default';
    const key = `waypoint ${namespace}/${m.metadata.name}`;
    this.waypoints.set(`${namespace}/${m.metadata.name}`, key);
    this.addNode(this.group(namespace), { key, kind: 'waypoint', lines: [`${m.metadata.name} (waypoint)`] });
  }

  /** Whether a namespace is labelled into the ambient mesh (and not for sidecar injection, which would win). */
  private ambient(namespace: string): boolean {
    const labels = this.namespaceLabels.get(namespace) ?? {};
    return (
      labels[DATAPLANE_MODE_LABEL] === 'ambient' && labels['istio-injection'] !== 'enabled' && !labels['istio.io/rev']
    );
  }

  private addDestinationRule(m: Manifest): void {
    const spec = (m.spec ?? {}) as DestinationRuleSpec;
    const service = spec.host ? this.serviceOf(spec.host, m.metadata.namespace ?? 'default') : undefined;
    if (!service || this.rules.has(service.key)) return;
    this.rules.set(service.key, spec);
    const policy = describeTrafficPolicy(spec.trafficPolicy);
    if (policy) this.nodes.get(service.key)!.lines.push(policy);
  }

  private addGateway(m: Manifest): void {
    const spec = (m.spec ?? {}) as GatewaySpec;
    const selector = spec.selector ?? {};
    const ingress = this.options.ingressGateway;
    const isIngress =
      ingress &&
      Object.entries(selector).every(([k, v]) => ingress.labels[k] === v) &&
      Object.keys(selector).length > 0;
    const key = isIngress
      ? `ingress ${ingress.namespace}/${ingress.name}`
      : `ingress ${describeLabels(selector) || 'any gateway'}`;
    let node = this.nodes.get(key);
    if (!node) {
      node = {
        key,
        kind: 'ingress',
        lines: [isIngress ? `${ingress.name} (ingress gateway)` : `gateway pods ${describeLabels(selector)}`],
      };
      this.addNode(isIngress ? this.group(ingress.namespace) : undefined, node);
      if (!this.nodes.has(CLIENTS)) this.addNode(undefined, { key: CLIENTS, kind: 'clients', lines: ['clients'] });
      this.edge(CLIENTS, key, 'traffic', []);
    }
    const servers = (spec.servers ?? []).map((s) => {
      const tls = s.tls?.httpsRedirect ? ' → HTTPS' : s.tls?.mode ? ` ${s.tls.mode}` : '';
      return `${s.port?.protocol ?? '?'} :${s.port?.number ?? '?'} ${(s.hosts ?? []).join(' ')}${tls}`;
    });
    node.lines.push(`Gateway ${m.metadata.name}: ${servers.join(', ')}`);
    this.gateways.set(`${m.metadata.namespace ?? 'default'}/${m.metadata.name}`, { key, node });
  }

  /** A Gateway API Gateway: drawn as the gateway its class's controller deploys (`<name>-<class>`, Istio's). */
  private addKubernetesGateway(m: Manifest): void {
    const spec = (m.spec ?? {}) as KubernetesGatewaySpec;
    const namespace = m.metadata.namespace ?? 'default';
    const deployed = `${m.metadata.name}-${spec.gatewayClassName ?? '?'}`;
    const key = `ingress ${namespace}/${deployed}`;
    const listeners = (spec.listeners ?? []).map((l) => `${l.protocol ?? '?'} :${l.port ?? '?'} ${l.hostname ?? '*'}`);
    const address = spec.addresses?.[0]?.value;
    const node: MeshNode = {
      key,
      kind: 'ingress',
      lines: [
        `${deployed} (deployed for Gateway ${m.metadata.name}, class ${spec.gatewayClassName ?? '?'})`,
        `listeners: ${listeners.join(', ')}${address ? ` · address ${address}` : ''}`,
      ],
    };
    this.addNode(this.group(namespace), node);
    if (!this.nodes.has(CLIENTS)) this.addNode(undefined, { key: CLIENTS, kind: 'clients', lines: ['clients'] });
    this.edge(CLIENTS, key, 'traffic', []);
    this.kubernetesGateways.set(`${namespace}/${m.metadata.name}`, { key, node });
  }

  /**
   * A Gateway API HTTPRoute: from its parents (a Gateway's gateway, or a Service for mesh routing) to its backends.
   * A backend Service other than the parent is drawn as the pods it selects (a per-version Service), like a subset.
   */
  private addHttpRoute(m: Manifest): void {
    const namespace = m.metadata.namespace ?? 'default';
    const spec = (m.spec ?? {}) as KubernetesHttpRouteSpec;
    const sources = (spec.parentRefs ?? []).map((ref) => {
      const at = ref.namespace ?? namespace;
      if (ref.kind === 'Service' && (ref.group ?? '') === '') {
        return this.services.get(`${at}/${ref.name}`)?.key ?? this.missing(`Service ${ref.name}`, at, 'not found');
      }
      return (
        this.kubernetesGateways.get(`${at}/${ref.name}`)?.key ?? this.missing(`Gateway ${ref.name}`, at, 'not found')
      );
    });
    const rules = spec.rules ?? [];
    rules.forEach((rule, index) => {
      const condition = describeRouteMatches(rule.matches);
      const first =
        condition ?? (index > 0 && rules.slice(0, index).some((r) => r.matches?.length) ? 'otherwise' : undefined);
      const extras: string[] = [];
      if (rule.timeouts?.request) extras.push(`timeout ${rule.timeouts.request}`);
      for (const filter of rule.filters ?? []) {
        const mirror = filter.requestMirror?.backendRef;
        if (mirror)
          extras.push(
            `mirror to ${mirror.name}${filter.requestMirror?.percent !== undefined ? ` (${filter.requestMirror.percent}%)` : ''}`,
          );
        if (filter.requestRedirect) extras.push(`redirect to ${filter.requestRedirect.scheme ?? 'same scheme'}`);
      }
      const backends = rule.backendRefs ?? [];
      const total = backends.reduce((sum, b) => sum + (b.weight ?? 1), 0);
      for (const backend of backends) {
        const share =
          backends.length > 1 && total > 0 ? `${Math.round(((backend.weight ?? 1) * 100) / total)}%` : undefined;
        const lines = [[first, share].filter(Boolean).join(' · '), ...extras].filter(Boolean);
        for (const source of sources) {
          for (const target of this.backendTargets(backend, namespace, source))
            this.edge(source, target, 'traffic', lines);
          this.routedServices.add(source);
        }
      }
      if (backends.length === 0 && extras.length > 0) {
        for (const source of sources)
          this.nodes.get(source)?.lines.push(`${first ? `${first}: ` : ''}${extras.join(', ')}`);
      }
    });
  }

  /** Where a Gateway API backend sends requests from a source, as node keys. */
  private backendTargets(backend: ObjectReference, namespace: string, source: string): string[] {
    if ((backend.kind ?? 'Service') !== 'Service' || (backend.group ?? '') !== '')
      return [this.external(`${backend.kind} ${backend.name}`)];
    const at = backend.namespace ?? namespace;
    const service = this.services.get(`${at}/${backend.name}`) ?? this.narrowServices.get(`${at}/${backend.name}`);
    if (!service) return [this.missing(`Service ${backend.name}`, at, 'not found')];
    if (source.startsWith('ingress ') && !this.narrowServices.has(`${at}/${backend.name}`)) return [service.key];
    return service.workloads.length
      ? service.workloads.map((w) => w.key)
      : [this.missing(`pods of ${service.name}`, service.namespace, 'none deployed')];
  }

  private addVirtualService(m: Manifest): void {
    const namespace = m.metadata.namespace ?? 'default';
    const spec = (m.spec ?? {}) as VirtualServiceSpec;
    const sources: string[] = [];
    for (const gateway of spec.gateways ?? ['mesh']) {
      if (gateway === 'mesh') {
        for (const host of spec.hosts ?? []) sources.push(this.serviceOf(host, namespace)?.key ?? this.external(host));
      } else {
        const ingress = this.gateways.get(gateway.includes('/') ? gateway : `${namespace}/${gateway}`);
        sources.push(ingress?.key ?? this.missing(`Gateway ${gateway}`, namespace, 'not found'));
      }
    }
    const routed = new Set<string>();
    const http = spec.http ?? [];
    http.forEach((route, index) => {
      const condition = describeMatches(route.match);
      const first =
        condition ?? (index > 0 && http.slice(0, index).some((r) => r.match?.length) ? 'otherwise' : undefined);
      const extras = describeRouteExtras(route, namespace);
      const destinations = route.route ?? [];
      for (const { destination, weight } of destinations) {
        const weightText =
          weight !== undefined && (destinations.length > 1 || weight !== 100) ? `${weight}%` : undefined;
        const lines = [[first, weightText].filter(Boolean).join(' · '), ...extras].filter(Boolean);
        for (const source of sources) {
          for (const target of this.targetsOf(destination ?? {}, namespace, source)) {
            this.edge(source, target, 'traffic', lines);
            routed.add(source);
          }
        }
      }
    });
    for (const [protocol, routes] of [
      ['TCP', spec.tcp],
      ['TLS', spec.tls],
    ] as const) {
      for (const route of routes ?? []) {
        for (const { destination, weight } of route.route ?? []) {
          const lines = [[protocol, weight !== undefined ? `${weight}%` : undefined].filter(Boolean).join(' · ')];
          for (const source of sources) {
            for (const target of this.targetsOf(destination ?? {}, namespace, source)) {
              this.edge(source, target, 'traffic', lines);
              routed.add(source);
            }
          }
        }
      }
    }
    for (const source of routed) this.routedServices.add(source);
  }

  private addDefaultRoutes(): void {
    for (const service of this.services.values()) {
      if (this.routedServices.has(service.key)) continue;
      for (const workload of service.workloads) this.edge(service.key, workload.key, 'traffic', []);
    }
  }

  private addMutualTls(policies: readonly Manifest[]): void {
    const modes = new Map<string, string>();
    for (const m of policies) {
      const namespace = m.metadata.namespace ?? 'default';
      const spec = (m.spec ?? {}) as PeerAuthenticationSpec;
      const mode = spec.mtls?.mode ?? 'UNSET';
      const ports = Object.entries(spec.portLevelMtls ?? {}).map(([port, p]) => `:${port} ${p.mode ?? 'UNSET'}`);
      const text = `mTLS ${mode}${ports.length ? ` (${ports.join(', ')})` : ''}`;
      if (spec.selector?.matchLabels) {
        for (const key of this.collapse(this.selectWorkloads(namespace, spec.selector.matchLabels)))
          this.nodes.get(key)?.lines.push(text);
      } else if (namespace === this.rootNamespace) {
        this.notes.push(`${text} in the whole mesh (PeerAuthentication ${namespace}/${m.metadata.name})`);
        modes.set('', mode);
      } else {
        modes.set(namespace, text);
      }
    }
    const mesh = modes.get('');
    // Only namespaces whose workloads these objects define: of the others (the gateway's) the objects say nothing.
    for (const [namespace, group] of this.namespaces()) {
      if (!this.namespaceLabels.has(namespace) && !this.workloadsByNamespace.has(namespace) && !modes.has(namespace))
        continue;
      group.facts.push(modes.get(namespace) ?? (mesh ? `mTLS ${mesh} (mesh-wide)` : 'mTLS PERMISSIVE (default)'));
    }
  }

  private addAuthorizationPolicy(m: Manifest): void {
    const namespace = m.metadata.namespace ?? 'default';
    const spec = (m.spec ?? {}) as AuthorizationPolicySpec;
    const action = (spec.action ?? 'ALLOW').toLowerCase();
    // in an ambient namespace, ztunnel enforces selector policies (L4) and waypoints those with targetRefs (L7)
    const layer = this.ambient(namespace) ? (spec.targetRefs?.length ? 'L7 ' : 'L4 ') : '';
    const targets = spec.targetRefs?.length
      ? spec.targetRefs.flatMap((ref) => {
          const at = `${namespace}/${ref.name}`;
          if (ref.kind === 'Service') {
            const key = this.services.get(at)?.key;
            return key ? [key] : [];
          }
          if (ref.kind !== 'Gateway' || ref.group !== GATEWAY_API_GROUP) return [];
          return [
            this.waypoints.get(at) ??
              this.kubernetesGateways.get(at)?.key ??
              this.missing(`Gateway ${ref.name}`, namespace, 'not found'),
          ];
        })
      : spec.selector?.matchLabels
        ? this.collapse(this.selectWorkloads(namespace, spec.selector.matchLabels))
        : namespace === this.rootNamespace
          ? [...this.groups.keys()]
          : [this.group(namespace).key];
    const rules = spec.rules ?? [];
    if (rules.length === 0) {
      // An ALLOW policy with no rules matches nothing: everything the targets receive is denied unless allowed.
      if (action !== 'allow') return;
      for (const target of targets) {
        const group = this.groups.get(target);
        if (group) group.facts.push(`${layer}deny by default`);
        else this.nodes.get(target)?.lines.push('deny by default');
      }
      return;
    }
    for (const rule of rules) {
      const sources = rule.from?.length
        ? rule.from.flatMap((f) => this.sourcesOf(f.source ?? {}, namespace))
        : [this.anyone()];
      const operations = (rule.to ?? []).map((t) => describeOperation(t.operation ?? {}));
      const label = `${layer}${action} ${operations.length ? operations.join(' or ') : 'any request'}${rule.when?.length ? ' when …' : ''}`;
      for (const source of new Set(sources))
        for (const target of targets) this.edge(source, target, 'authorization', [label]);
    }
  }

  /** Ingress gateways first, then each service followed by its workloads, then the rest, each in the objects' order. */
  private inReadingOrder(nodes: readonly MeshNode[]): MeshNode[] {
    const placed = new Set<MeshNode>();
    const place = (node: MeshNode | undefined) => node && !placed.has(node) && placed.add(node);
    for (const node of nodes) if (node.kind === 'ingress') place(node);
    for (const node of nodes) {
      if (node.kind !== 'service') continue;
      place(node);
      for (const workload of this.services.get(node.key.slice('service '.length))?.workloads ?? [])
        place(this.nodes.get(workload.key));
    }
    for (const node of nodes) place(node);
    return [...placed];
  }

  // --- resolution ----------------------------------------------------------------------------------------------

  /** The service a host names (`reviews`, `reviews.bookinfo`, `reviews.bookinfo.svc.cluster.local`). */
  private serviceOf(host: string, namespace: string): Service | undefined {
    const parts = host.replace(/\.svc(\.cluster\.local)?$/, '').split('.');
    if (parts.length > 2) return undefined;
    return this.services.get(`${parts[1] ?? namespace}/${parts[0]}`);
  }

  /** Where a route destination sends requests, as node keys. */
  private targetsOf(destination: Destination, namespace: string, source: string): string[] {
    const host = destination.host ?? '';
    const service = this.serviceOf(host, namespace);
    if (!service) return [this.external(host)];
    if (destination.subset === undefined) {
      // to the service as a whole: from itself that means its pods, from elsewhere the service's node
      if (source !== service.key) return [service.key];
      return service.workloads.length
        ? service.workloads.map((w) => w.key)
        : [this.missing(`pods of ${service.name}`, service.namespace, 'none deployed')];
    }
    const subset = this.rules.get(service.key)?.subsets?.find((s) => s.name === destination.subset);
    if (!subset)
      return [
        this.missing(
          `subset ${destination.subset} of ${service.name}`,
          service.namespace,
          'no DestinationRule defines it',
        ),
      ];
    const pods = service.workloads.filter((w) =>
      Object.entries(subset.labels ?? {}).every(([k, v]) => w.labels[k] === v),
    );
    return pods.length
      ? pods.map((w) => w.key)
      : [this.missing(`subset ${destination.subset} of ${service.name}`, service.namespace, 'no pods')];
  }

  /** Who an authorization source names, as node keys. */
  private sourcesOf(source: AuthorizationSource, namespace: string): string[] {
    const keys: string[] = [];
    for (const principal of source.principals ?? []) keys.push(...this.principal(principal));
    for (const ns of source.namespaces ?? []) keys.push(ns === '*' ? this.anyone() : this.group(ns).key);
    const other = Object.keys(source).filter((k) => k !== 'principals' && k !== 'namespaces');
    if (other.length > 0) keys.push(this.identity(`${namespace} ${other.join(',')}`, `callers by ${other.join(', ')}`));
    return keys.length ? keys : [this.anyone()];
  }

  private principal(principal: string): string[] {
    if (principal === '*') return [this.anyone()];
    const m = /^.+\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
    if (!m) return [this.identity(principal, principal)];
    const [, namespace, account] = m;
    if (account === '*') return [this.group(namespace).key];
    const ingress = this.options.ingressGateway;
    if (ingress && ingress.namespace === namespace && ingress.name === account) {
      const key = `ingress ${namespace}/${account}`;
      if (this.nodes.has(key)) return [key];
    }
    const waypoint = this.waypoints.get(`${namespace}/${account}`);
    if (waypoint) return [waypoint];
    const workloads = this.workloadsByAccount.get(`${namespace}/${account}`) ?? [];
    return workloads.length
      ? this.collapse(workloads)
      : [this.identity(`${namespace}/${account}`, `service account ${namespace}/${account}`)];
  }

  /** Workloads whose pods carry every label of a selector. */
  private selectWorkloads(namespace: string, selector: Labels): Workload[] {
    const entries = Object.entries(selector);
    if (entries.length === 0) return this.workloadsByNamespace.get(namespace) ?? [];
    const [label, value] = entries[0];
    return (this.workloadsByLabel.get(`${namespace} ${label}=${value}`) ?? []).filter((w) =>
      entries.every(([k, v]) => w.labels[k] === v),
    );
  }

  /** Node keys for a set of workloads: a service where the set holds all of its pods, single workloads otherwise. */
  private collapse(workloads: readonly Workload[]): string[] {
    const chosen = new Set(workloads);
    const covered = new Set<Workload>();
    const keys = new Set<string>();
    for (const workload of workloads) {
      for (const service of workload.services) {
        if (keys.has(service.key) || !service.workloads.every((w) => chosen.has(w))) continue;
        keys.add(service.key);
        for (const w of service.workloads) covered.add(w);
      }
    }
    for (const workload of workloads) if (!covered.has(workload)) keys.add(workload.key);
    return [...keys];
  }

  // --- nodes and edges -----------------------------------------------------------------------------------------

  private group(namespace: string): MeshGroup {
    const key = `namespace ${namespace}`;
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = { key, title: `namespace ${namespace}`, facts: [], nodes: [] }));
    return group;
  }

  /** The namespaces drawn, with their groups. */
  private namespaces(): [string, MeshGroup][] {
    return [...this.groups.values()].map((group) => [group.key.slice('namespace '.length), group]);
  }

  /** Adds a node to a namespace's group, or outside any namespace. */
  private addNode(group: MeshGroup | undefined, node: MeshNode): void {
    this.nodes.set(node.key, node);
    if (group) group.nodes.push(node);
    else this.outside.set(node.key, node);
  }

  /** A node outside any namespace, added the first time it is asked for. */
  private outsideNode(key: string, kind: MeshNodeKind, text: string): string {
    if (!this.nodes.has(key)) this.addNode(undefined, { key, kind, lines: [text] });
    return key;
  }

  private anyone(): string {
    return this.outsideNode(ANYONE, 'anyone', 'any caller');
  }

  private external(host: string): string {
    return this.outsideNode(`external ${host}`, 'external', host || '(no host)');
  }

  private identity(id: string, text: string): string {
    return this.outsideNode(`identity ${id}`, 'identity', text);
  }

  private missing(what: string, namespace: string, why: string): string {
    const key = `missing ${namespace} ${what}`;
    if (!this.nodes.has(key))
      this.addNode(this.group(namespace), { key, kind: 'missing', lines: [what, why], warning: true });
    return key;
  }

  private edge(from: string, to: string, style: MeshEdge['style'], lines: readonly string[]): void {
    const key = JSON.stringify([from, to, style, lines]);
    if (!this.edges.has(key)) this.edges.set(key, { from, to, style, lines });
  }
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

// --- descriptions ------------------------------------------------------------------------------------------------

function describeLabels(labels: Labels): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function describeString(name: string, match: StringMatch): string {
  if (match.exact !== undefined) return `${name}${name ? ': ' : '= '}${match.exact}`;
  if (match.prefix !== undefined) return `${name}${name ? ': ' : ''}${match.prefix}*`;
  if (match.regex !== undefined) return `${name} ~ ${match.regex}`.trim();
  return `${name} present`;
}

/** Whether a Service selects a subset of another Service's pods in its namespace (its selector narrows the other's). */
function isNarrowing(m: Manifest, services: readonly Manifest[]): boolean {
  const selector = ((m.spec ?? {}) as ServiceSpec).selector ?? {};
  return services.some((other) => {
    if (other === m || other.metadata.namespace !== m.metadata.namespace) return false;
    const wider = Object.entries(((other.spec ?? {}) as ServiceSpec).selector ?? {});
    return (
      wider.length > 0 && wider.length < Object.keys(selector).length && wider.every(([k, v]) => selector[k] === v)
    );
  });
}

/** A Gateway API rule's matches (any of which selects it), one line each; undefined when it has none. */
function describeRouteMatches(matches: readonly RouteRuleMatch[] | undefined): string | undefined {
  if (!matches?.length) return undefined;
  return matches
    .map((m) => {
      const parts: string[] = [];
      const value = (type: string | undefined, v: string | undefined) =>
        type === 'Exact' ? `= ${v}` : type === 'RegularExpression' ? `~ ${v}` : `${v}*`;
      if (m.path) parts.push(value(m.path.type ?? 'PathPrefix', m.path.value));
      if (m.method) parts.push(`method: ${m.method}`);
      for (const h of m.headers ?? [])
        parts.push(`${h.name}${h.type === 'RegularExpression' ? ' ~ ' : ': '}${h.value}`);
      return parts.length ? parts.join(' and ') : 'any request';
    })
    .join('\n');
}

/** A route's matches (any of which selects it), one line each; undefined when it has none. */
function describeMatches(matches: readonly HttpMatch[] | undefined): string | undefined {
  if (!matches?.length) return undefined;
  return matches
    .map((m) => {
      const parts: string[] = [];
      if (m.uri) parts.push(describeString('', m.uri));
      if (m.method) parts.push(describeString('method', m.method));
      if (m.authority) parts.push(describeString('authority', m.authority));
      for (const [header, match] of Object.entries(m.headers ?? {})) parts.push(describeString(header, match));
      for (const header of Object.keys(m.withoutHeaders ?? {})) parts.push(`without ${header}`);
      for (const [param, match] of Object.entries(m.queryParams ?? {})) parts.push(describeString(`?${param}`, match));
      if (m.port !== undefined) parts.push(`port ${m.port}`);
      if (m.sourceLabels) parts.push(`from ${describeLabels(m.sourceLabels)}`);
      if (m.sourceNamespace) parts.push(`from namespace ${m.sourceNamespace}`);
      return parts.length ? parts.join(' and ') : 'any request';
    })
    .join('\n');
}

/** Faults, timeouts, retries and mirroring of a route, one line each. */
function describeRouteExtras(route: HttpRoute, namespace: string): string[] {
  const lines: string[] = [];
  const percent = (p?: { value?: number }) => (p?.value !== undefined ? ` (${p.value}%)` : '');
  const { delay, abort } = route.fault ?? {};
  if (delay) lines.push(`fault: delay ${delay.fixedDelay ?? '?'}${percent(delay.percentage)}`);
  if (abort) lines.push(`fault: abort ${abort.httpStatus ?? abort.grpcStatus ?? '?'}${percent(abort.percentage)}`);
  if (route.timeout) lines.push(`timeout ${route.timeout}`);
  if (route.retries) {
    const { attempts, perTryTimeout } = route.retries;
    lines.push(
      attempts === 0 ? 'no retries' : `retries ${attempts ?? '?'}${perTryTimeout ? ` × ${perTryTimeout}` : ''}`,
    );
  }
  if (route.mirror) {
    const target = [route.mirror.host?.replace(`.${namespace}.svc.cluster.local`, ''), route.mirror.subset]
      .filter(Boolean)
      .join(' ');
    lines.push(`mirror to ${target}${percent(route.mirrorPercentage)}`);
  }
  return lines;
}

function describeTrafficPolicy(policy: TrafficPolicy | undefined): string | undefined {
  if (!policy) return undefined;
  const parts = [
    policy.tls?.mode ? `TLS ${policy.tls.mode}` : undefined,
    policy.loadBalancer?.simple
      ? `LB ${policy.loadBalancer.simple}`
      : policy.loadBalancer?.consistentHash
        ? 'LB consistent hash'
        : undefined,
    policy.connectionPool ? 'connection pool' : undefined,
    policy.outlierDetection ? 'outlier detection' : undefined,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : undefined;
}

function describeOperation(operation: AuthorizationOperation): string {
  const parts = [
    operation.methods?.join(','),
    operation.ports?.map((p) => `:${p}`).join(','),
    operation.paths?.join(','),
    operation.hosts?.length ? `host ${operation.hosts.join(',')}` : undefined,
    Object.keys(operation).some((k) => k.startsWith('not')) ? '(with exceptions)' : undefined,
  ].filter(Boolean);
  return parts.length ? parts.join(' ') : 'any request';
}
