import { GATEWAY_API_GROUP } from '../../kube/gateway-api';
import { arr, labelsOf, matchesLabelSelector, num, rec, str, type FieldPath } from '../../kube/object';
import type { IndexedObject } from '../../kube/object-index';
import type { Check, Report } from '../check';
import { messageType, type MessageType } from '../finding';
import { toFqdn } from '../hosts';
import type { Mesh } from '../mesh';

export const PARENT_NOT_FOUND: MessageType = messageType('HI0010');
export const BACKEND_NOT_FOUND: MessageType = messageType('HI0011');
export const ROUTE_NOT_ALLOWED: MessageType = messageType('HI0012');
export const HOST_ROUTED_BY_BOTH_APIS: MessageType = messageType('HI0013');

/** Route kinds whose parents and backends this check follows. */
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute'];
/** The route kinds a listener admits when its allowedRoutes names none, by protocol (Istio's). */
const DEFAULT_KINDS: Readonly<Record<string, readonly string[]>> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  TLS: ['TLSRoute'],
  TCP: ['TCPRoute'],
  UDP: ['UDPRoute'],
};

/**
 * Kubernetes Gateway API routes (HTTPRoute, GRPCRoute) point at what exists, and are admitted: each parentRef names
 * a Gateway (and listener) or Service there is, some listener of a parent Gateway admits the route by its
 * `allowedRoutes` (namespaces and kinds), and each backendRef (mirrors included) names a Service with that port. A
 * service routed inside the mesh by both a VirtualService and a route whose parent is that Service is flagged too.
 * istioctl analyze does none of this (Istio reports it in the routes' status once applied); the codes are ours.
 */
export const gatewayApiRoutes: Check = {
  description: "Gateway API routes' parents, listeners and backends exist and admit them; one routing API per service",
  messages: [PARENT_NOT_FOUND, BACKEND_NOT_FOUND, ROUTE_NOT_ALLOWED, HOST_ROUTED_BY_BOTH_APIS],
  run(mesh, report) {
    const gateways = new Map(
      mesh.index.ofKind('Gateway', GATEWAY_API_GROUP).map((g) => [`${g.ref.namespace}/${g.ref.name}`, g]),
    );
    const meshVirtualServiceHosts = new Map<string, IndexedObject>();
    for (const vs of mesh.virtualServices) {
      if (vs.gateways.length > 0 && !vs.gateways.includes('mesh')) continue;
      for (const host of vs.hosts) meshVirtualServiceHosts.set(toFqdn(host, vs.namespace), vs.object);
    }
    for (const kind of ROUTE_KINDS) {
      for (const route of mesh.index.ofKind(kind, GATEWAY_API_GROUP)) {
        const namespace = route.ref.namespace ?? 'default';
        const spec = rec(route.manifest.spec);
        arr(spec.parentRefs).forEach((raw, i) =>
          checkParent(
            mesh,
            report,
            route,
            namespace,
            rec(raw),
            ['spec', 'parentRefs', i],
            gateways,
            meshVirtualServiceHosts,
          ),
        );
        arr(spec.rules).forEach((rawRule, r) => {
          const rule = rec(rawRule);
          arr(rule.backendRefs).forEach((raw, b) =>
            checkBackend(mesh, report, route, namespace, rec(raw), ['spec', 'rules', r, 'backendRefs', b]),
          );
          arr(rule.filters).forEach((raw, f) => {
            const mirror = rec(rec(raw).requestMirror);
            if (mirror.backendRef !== undefined) {
              const path = ['spec', 'rules', r, 'filters', f, 'requestMirror', 'backendRef'];
              checkBackend(mesh, report, route, namespace, rec(mirror.backendRef), path);
            }
          });
        });
      }
    }
  },
};

function checkParent(
  mesh: Mesh,
  report: Report,
  route: IndexedObject,
  routeNamespace: string,
  ref: Record<string, unknown>,
  path: FieldPath,
  gateways: ReadonlyMap<string, IndexedObject>,
  meshVirtualServiceHosts: ReadonlyMap<string, IndexedObject>,
): void {
  const group = str(ref.group) ?? GATEWAY_API_GROUP;
  const kind = str(ref.kind) ?? 'Gateway';
  const name = str(ref.name) ?? '';
  const namespace = str(ref.namespace) ?? routeNamespace;
  if (group === '' && kind === 'Service') {
    checkService(mesh, report, PARENT_NOT_FOUND, route, {
      what: 'parentRef',
      namespace,
      name,
      port: num(ref.port),
      path,
    });
    const vs = meshVirtualServiceHosts.get(`${name}.${namespace}.svc.cluster.local`);
    if (vs) {
      report(
        HOST_ROUTED_BY_BOTH_APIS,
        route,
        `routes Service "${namespace}/${name}" inside the mesh, and so does VirtualService ` +
          `"${vs.ref.namespace}/${vs.ref.name}": Istio applies only one of them; route the service with one API`,
        path,
      );
    }
    return;
  }
  if (group !== GATEWAY_API_GROUP || kind !== 'Gateway') return;
  const gateway = gateways.get(`${namespace}/${name}`);
  if (!gateway) {
    report(PARENT_NOT_FOUND, route, `parentRef Gateway "${namespace}/${name}" does not exist`, path);
    return;
  }
  const sectionName = str(ref.sectionName);
  const port = num(ref.port);
  const listeners = arr(rec(gateway.manifest.spec).listeners)
    .map(rec)
    .filter((l) => (sectionName === undefined || l.name === sectionName) && (port === undefined || l.port === port));
  if (listeners.length === 0) {
    const which = [sectionName && `named "${sectionName}"`, port !== undefined && `on port ${port}`]
      .filter(Boolean)
      .join(' ');
    report(PARENT_NOT_FOUND, route, `Gateway "${namespace}/${name}" has no listener ${which}`, path);
    return;
  }
  const refusals = listeners.map((listener) => refusal(mesh, route, routeNamespace, gateway, listener));
  if (refusals.every((why) => why !== undefined)) {
    report(
      ROUTE_NOT_ALLOWED,
      route,
      `no listener of Gateway "${namespace}/${name}" admits the route: ${refusals.join('; ')}`,
      path,
    );
  }
}

/** Why a listener does not admit a route, or nothing if it does. */
function refusal(
  mesh: Mesh,
  route: IndexedObject,
  routeNamespace: string,
  gateway: IndexedObject,
  listener: Record<string, unknown>,
): string | undefined {
  const allowed = rec(listener.allowedRoutes);
  const name = `listener "${str(listener.name) ?? ''}"`;
  const kinds = arr(allowed.kinds).map((k) => str(rec(k).kind));
  const admitted = kinds.length > 0 ? kinds : (DEFAULT_KINDS[str(listener.protocol) ?? ''] ?? []);
  if (!admitted.includes(route.ref.kind))
    return `${name} admits ${admitted.join(', ') || 'no'} routes, not ${route.ref.kind}`;
  const namespaces = rec(allowed.namespaces);
  const from = str(namespaces.from) ?? 'Same';
  if (from === 'Same' && routeNamespace !== gateway.ref.namespace) {
    return `${name} admits routes of its own namespace (${gateway.ref.namespace}) only, not of ${routeNamespace}`;
  }
  if (from === 'Selector') {
    const labels = {
      ...labelsOf(rec(mesh.namespaces.get(routeNamespace)?.manifest.metadata).labels),
      'kubernetes.io/metadata.name': routeNamespace,
    };
    if (!matchesLabelSelector(namespaces.selector, labels))
      return `${name} admits routes of namespaces its selector picks, which ${routeNamespace} is not`;
  }
  return undefined;
}

function checkBackend(
  mesh: Mesh,
  report: Report,
  route: IndexedObject,
  routeNamespace: string,
  ref: Record<string, unknown>,
  path: FieldPath,
): void {
  if ((str(ref.group) ?? '') !== '' || (str(ref.kind) ?? 'Service') !== 'Service') return;
  const namespace = str(ref.namespace) ?? routeNamespace;
  checkService(mesh, report, BACKEND_NOT_FOUND, route, {
    what: 'backendRef',
    namespace,
    name: str(ref.name) ?? '',
    port: num(ref.port),
    path,
  });
}

/** A Service a route names (as a parent or a backend) exists, with the port named. */
function checkService(
  mesh: Mesh,
  report: Report,
  type: MessageType,
  route: IndexedObject,
  ref: { what: string; namespace: string; name: string; port?: number; path: FieldPath },
): void {
  const service = mesh.services.get(`${ref.namespace}/${ref.name}`);
  const named = `${ref.what} Service "${ref.namespace}/${ref.name}"`;
  if (!service) {
    report(type, route, `${named} does not exist`, ref.path);
  } else if (ref.port !== undefined && !service.ports.some((p) => p.port === ref.port)) {
    const ports = service.ports.map((p) => p.port).join(', ');
    report(type, route, `${named} has no port ${ref.port} (ports: ${ports})`, [...ref.path, 'port']);
  }
}
