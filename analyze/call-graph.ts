import { z } from 'zod';

/**
 * Who may call whom in the mesh: the analyzer's input for the authorization checks (HI0002, HI0003).
 *
 * The graph is declared in config by the networking task; this is the small typed shape the analyzer reads, so that
 * any source of a graph (config, a file given to `npm run analyze -- --call-graph`, a test fixture) can feed it.
 */

/** A caller, by the identity its requests carry: the service account its pods run as. */
export interface CallGraphCaller {
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** A callee: a Kubernetes Service. */
export interface CallGraphCallee {
  readonly namespace: string;
  readonly service: string;
}

/** One allowed call. */
export interface CallGraphEdge {
  readonly from: CallGraphCaller;
  readonly to: CallGraphCallee;
  /**
   * Ports of the called workloads (a Service port's targetPort), as AuthorizationPolicy rules name them.
   * @default - every port the Service sends traffic to
   */
  readonly ports?: readonly number[];
  /**
   * HTTP methods the caller uses.
   * @default - any method
   */
  readonly methods?: readonly string[];
}

export interface CallGraph {
  readonly edges: readonly CallGraphEdge[];
  /**
   * The mesh's trust domain, the first part of every principal.
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;
}

/** The principal (SPIFFE identity without `spiffe://`) that requests from this caller carry under mTLS. */
export function principalOf(caller: CallGraphCaller, trustDomain = 'cluster.local'): string {
  return `${trustDomain}/ns/${caller.namespace}/sa/${caller.serviceAccount}`;
}

/** The caller a principal names, when it has the `<trust domain>/ns/<namespace>/sa/<account>` shape. */
export function callerOf(principal: string): (CallGraphCaller & { readonly trustDomain: string }) | undefined {
  const match = /^([^/]+)\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
  return match ? { trustDomain: match[1], namespace: match[2], serviceAccount: match[3] } : undefined;
}

const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'must be a DNS label (lowercase letters, digits, "-")' });

/** The call graph as a file states it (`npm run analyze -- --call-graph FILE`), validated. */
export const callGraphSchema = z
  .object({
    trustDomain: z.string().min(1).optional(),
    edges: z.array(
      z
        .object({
          from: z.object({ namespace: dnsLabel, serviceAccount: z.string().min(1) }).strict(),
          to: z.object({ namespace: dnsLabel, service: dnsLabel }).strict(),
          ports: z
            .array(z.int().min(1).max(65535, { error: 'must be a port from 1 to 65535' }))
            .min(1)
            .optional(),
          methods: z
            .array(z.string().regex(/^[A-Z]+$/, { error: 'must be an HTTP method in capitals, such as GET' }))
            .min(1)
            .optional(),
        })
        .strict(),
    ),
  })
  .strict() satisfies z.ZodType<CallGraph>;
