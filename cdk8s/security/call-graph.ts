import { INGRESS_GATEWAY_CALLER, type CallEdge, type IngressGatewayProfile, type ServiceCatalogue } from '../../config';
import type { MeshIdentity } from '../mesh/mesh-service';
import { methodsProblem, pathProblem } from './call-graph-authorization';
import { Problems, wholeNumberProblem } from '../networking/value-checks';

/** An edge of a checked call graph, with its defaults filled in. */
export interface CallGraphEdge {
  readonly from: string;
  /** The caller's versions that make the call; undefined for the ingress gateway or for every version. */
  readonly fromVersions?: readonly string[];
  readonly to: string;
  /** HTTP methods allowed; undefined for any (a TCP edge). */
  readonly methods?: readonly string[];
  /** Paths allowed; undefined for any path. */
  readonly paths?: readonly string[];
  readonly port: number;
  /** Whether a caller of this edge runs: false when none of `fromVersions` is deployed. */
  readonly open: boolean;
}

/**
 * Who may call whom in the mesh: the declared call graph, checked against the services of the catalogue.
 *
 * Authorization is derived from it, and only from it: an edge is the only way to open a path.
 */
export class CallGraph {
  /** `from -> to`, with the caller's versions when the edge names them, as errors and reviews show an edge. */
  public static describe(edge: {
    readonly from: string;
    readonly fromVersions?: readonly string[];
    readonly to: string;
  }): string {
    return `${edge.from}${edge.fromVersions ? ` (${edge.fromVersions.join(', ')})` : ''} -> ${edge.to}`;
  }

  public readonly edges: readonly CallGraphEdge[];

  /**
   * @param edges the declared edges
   * @param catalogue the services: every version of every service that may appear in the graph, those that run, and
   *   the port of each (an edge's default)
   * @throws ConfigError naming each bad edge and value
   */
  constructor(edges: readonly CallEdge[], catalogue: ServiceCatalogue) {
    const deployed = catalogue.deployedVersions;
    checkEdges(edges, catalogue);
    this.edges = edges.map((edge) => ({
      from: edge.from,
      fromVersions: edge.fromVersions,
      to: edge.to,
      methods: edge.methods,
      paths: edge.paths,
      port: edge.port ?? catalogue.defaultPort(edge.to)!,
      open: !edge.fromVersions || edge.fromVersions.some((v) => (deployed[edge.from] ?? []).includes(v)),
    }));
  }

  /** The open edges into `service`, in declared order. */
  public callersOf(service: string): CallGraphEdge[] {
    return this.edges.filter((edge) => edge.open && edge.to === service);
  }
}

/** Where the callers of a graph run: what turns an edge's `from` into identities. */
export interface CallerDirectory {
  /** Namespace of the services. */
  readonly namespace: string;
  /** The ingress gateway, the `ingress-gateway` caller. */
  readonly ingressGateway: IngressGatewayProfile;
  /** The services; a caller's identities are those its running versions (of `fromVersions`) run as. */
  readonly catalogue: ServiceCatalogue;
}

/** The identities an edge's callers run as, distinct, in version order. */
export function callerIdentities(edge: CallGraphEdge, directory: CallerDirectory): MeshIdentity[] {
  if (edge.from === INGRESS_GATEWAY_CALLER) {
    return [{ namespace: directory.ingressGateway.namespace, serviceAccount: directory.ingressGateway.serviceAccount }];
  }
  const accounts = (directory.catalogue.service(edge.from)?.versions ?? [])
    .filter((v) => !edge.fromVersions || edge.fromVersions.includes(v.version))
    .map((v) => v.identity.serviceAccount);
  return [...new Set(accounts)].map((serviceAccount) => ({ namespace: directory.namespace, serviceAccount }));
}

function checkEdges(edges: readonly CallEdge[], catalogue: ServiceCatalogue): void {
  const versions = catalogue.knownVersions;
  const problems = new Problems('Invalid call graph');
  const services = Object.keys(versions);
  const known = `services: ${services.join(', ')}`;
  edges.forEach((edge) => {
    const at = `call-graph edge "${CallGraph.describe(edge)}"`;
    const fromGateway = edge.from === INGRESS_GATEWAY_CALLER;
    problems.check(
      `${at} from`,
      edge.from,
      fromGateway || services.includes(edge.from)
        ? undefined
        : `is not a service of the mesh nor "${INGRESS_GATEWAY_CALLER}"; ${known}`,
    );
    problems.check(
      `${at} to`,
      edge.to,
      services.includes(edge.to) ? undefined : `is not a service of the mesh; ${known}`,
    );
    if (edge.fromVersions) {
      const callerVersions = versions[edge.from] ?? [];
      const unknown = edge.fromVersions.filter((v) => !callerVersions.includes(v));
      const problem = fromGateway
        ? 'only a service has versions; leave fromVersions out for the ingress gateway'
        : edge.fromVersions.length === 0
          ? 'names no version; leave it out to mean every version'
          : unknown.length > 0 && services.includes(edge.from)
            ? `${edge.from} has no version ${unknown.join(', ')}; versions: ${callerVersions.join(', ')}`
            : undefined;
      problems.check(`${at} fromVersions`, edge.fromVersions, problem);
    }
    if (edge.methods) problems.check(`${at} methods`, edge.methods, methodsProblem(edge.methods));
    for (const path of edge.paths ?? []) problems.check(`${at} path`, path, pathProblem(path));
    if (edge.paths?.length === 0)
      problems.add(`${at}: paths is empty, which allows no request; leave it out to allow any path`);
    const callee = catalogue.known(edge.to);
    if (edge.port !== undefined) {
      const notItsPort =
        callee && !callee.ports.includes(edge.port)
          ? `is not a port of ${edge.to}; its ports: ${callee.ports.join(', ')}`
          : undefined;
      problems.check(`${at} port`, edge.port, wholeNumberProblem(edge.port, 1, 65535) ?? notItsPort);
    }
    if (callee && !callee.http && (edge.methods || edge.paths)) {
      problems.add(
        `${at}: ${edge.to} speaks no HTTP (a database), so methods and paths would never match; leave them out and allow the port`,
      );
    }
  });
  problems.throwIfAny();
}
