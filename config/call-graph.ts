import { z } from 'zod';
import { BOOKINFO_DATABASES } from './bookinfo';

/** The caller name that stands for the control plane's ingress gateway in the call graph. */
export const INGRESS_GATEWAY_CALLER = 'ingress-gateway';

/** HTTP methods an edge may allow. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * One call that the mesh allows: `from` calls `to` with these methods on this port (and paths).
 *
 * The shape is checked here; what the names mean (services of the catalogue and their versions, methods, ports,
 * paths) is checked when the authorization policies are written, with errors naming the edge.
 */
export const callEdgeSchema = z
  .object({
    /** A service, or `ingress-gateway` for the control plane's ingress gateway. */
    from: z.string(),
    /**
     * The caller's versions that make the call. The edge is open only while one of them is deployed. An authorization
     * policy cannot tell versions apart (they share the service's account), so this narrows the graph, not the policy.
     * @default - every version of the caller
     */
    fromVersions: z.array(z.string()).optional(),
    /** The service called. */
    to: z.string(),
    /**
     * HTTP methods allowed. Leave it out for a TCP service such as a database: HTTP fields never match TCP traffic.
     * @default - any method
     */
    methods: z.array(z.string()).optional(),
    /**
     * Request paths allowed (Istio's exact, `/prefix/*`, `*\/suffix` or `*` forms).
     * @default - any path
     */
    paths: z.array(z.string()).optional(),
    /**
     * Port of the called workload.
     * @default - the called service's first port
     */
    port: z.number().optional(),
  })
  .strict();

export type CallEdge = z.infer<typeof callEdgeSchema>;

/**
 * Bookinfo's calls: the ingress gateway calls productpage (pages, `curl -I`, login form posts); productpage calls
 * details and reviews; reviews v2 and v3 call ratings (v1 shows no stars and does not). Paths are those the upstream
 * sources request (`/details/<id>`, `/reviews/<id>`, `/ratings/<id>`).
 *
 * The database-backed ratings versions call their database over TCP (port only).
 *
 * Not in the graph: productpage's `/api/v1/products/<id>/ratings` API calls ratings directly; with this graph it
 * answers that ratings are unavailable. Add `{ from: 'productpage', to: 'ratings', methods: ['GET'] }` to open it.
 */
export const BOOKINFO_CALL_GRAPH: readonly CallEdge[] = [
  { from: INGRESS_GATEWAY_CALLER, to: 'productpage', methods: ['GET', 'HEAD', 'POST'] },
  { from: 'productpage', to: 'details', methods: ['GET'], paths: ['/details/*'] },
  { from: 'productpage', to: 'reviews', methods: ['GET'], paths: ['/reviews/*'] },
  { from: 'reviews', fromVersions: ['v2', 'v3'], to: 'ratings', methods: ['GET'], paths: ['/ratings/*'] },
  { from: 'ratings', fromVersions: ['v2'], to: 'mongodb', port: BOOKINFO_DATABASES.mongodb.port },
  { from: 'ratings', fromVersions: ['v2-mysql'], to: 'mysqldb', port: BOOKINFO_DATABASES.mysqldb.port },
];

/**
 * The declared call graph: the only calls authorization allows.
 * @default BOOKINFO_CALL_GRAPH
 */
export const callGraphSchema = z.array(callEdgeSchema).default(BOOKINFO_CALL_GRAPH.map((edge) => ({ ...edge })));
