import { z } from 'zod';
import type { DestinationRuleSpecTrafficPolicyLoadBalancerSimple } from '../imports/networking.istio.io';
import { BOOKINFO_SERVICES, type BookinfoService } from './bookinfo';
import { resolveTrafficPreset, TRAFFIC_PRESET_NAMES, type TrafficPresetName } from './traffic-presets';

/**
 * Traffic management for Bookinfo: which upstream scenario (preset) runs, the tutorial's gateway, the traffic policy of
 * every DestinationRule, and routes of our own.
 *
 * The schemas below check the shape of routes and policies (field names and types). What a value means (weights that
 * add up to 100, subsets that are deployed, durations, percentages) is checked by the cdk8s constructs that write the
 * objects, so that routes written in code are checked the same way as routes written here.
 */

/** A string condition: exactly one of `exact`, `prefix` or `regex` (RE2 syntax). */
export const stringMatchSchema = z
  .object({ exact: z.string().optional(), prefix: z.string().optional(), regex: z.string().optional() })
  .strict();

/** Conditions that must all hold for a request to match. */
export const routeMatchSchema = z
  .object({
    /** Request headers by lower-case name, for example `{ 'end-user': { exact: 'jason' } }`. */
    headers: z.record(z.string(), stringMatchSchema).optional(),
    uri: stringMatchSchema.optional(),
  })
  .strict();

/** A destination of a route: a subset (= a deployed version) of the routed service. */
export const routeDestinationSchema = z
  .object({
    subset: z.string(),
    /** Share of requests in percent; required when a route has two or more destinations, which must add up to 100. */
    weight: z.number().optional(),
  })
  .strict();

/** Fault injection: a delay, an abort, or both, each on a percentage of the matched requests. */
export const faultSchema = z
  .object({
    /** @example { fixedDelay: '7s', percent: 100 } */
    delay: z.object({ fixedDelay: z.string(), percent: z.number() }).strict().optional(),
    /** @example { httpStatus: 500, percent: 100 } */
    abort: z.object({ httpStatus: z.number(), percent: z.number() }).strict().optional(),
  })
  .strict();

/** One HTTP route of a service: the first route whose `match` applies handles a request. */
export const httpRouteSchema = z
  .object({
    /** Name of the route, shown in errors and written as the Istio route's name. @default - none */
    name: z.string().optional(),
    /** Any one of these matches selects the route. @default - every request */
    match: z.array(routeMatchSchema).optional(),
    /** Where matched requests go: one subset, or a weighted split across subsets. */
    to: z.array(routeDestinationSchema),
    /** @default - no fault */
    fault: faultSchema.optional(),
    /** Request timeout, such as `10s`. @default - Istio's default (none) */
    timeout: z.string().optional(),
    /** @default - Istio's default retry policy */
    retries: z
      .object({ attempts: z.number(), perTryTimeout: z.string().optional(), retryOn: z.string().optional() })
      .strict()
      .optional(),
    /** Copy requests to a subset, fire and forget. @default - no mirroring */
    mirror: z.object({ subset: z.string(), percent: z.number().optional() }).strict().optional(),
  })
  .strict();

/** Load balancing algorithms a DestinationRule can name (`loadBalancer.simple`). */
export const LOAD_BALANCERS = [
  'ROUND_ROBIN',
  'LEAST_REQUEST',
  'RANDOM',
  'PASSTHROUGH',
] as const satisfies readonly `${DestinationRuleSpecTrafficPolicyLoadBalancerSimple}`[];

/** Connection pool, outlier detection and load balancing of a DestinationRule. */
export const trafficPolicySchema = z
  .object({
    /** @default - Istio's default (LEAST_REQUEST) */
    loadBalancer: z.enum(LOAD_BALANCERS, { error: `must be one of ${LOAD_BALANCERS.join(', ')}` }).optional(),
    connectionPool: z
      .object({
        tcp: z.object({ maxConnections: z.number().optional(), connectTimeout: z.string().optional() }).strict().optional(),
        http: z
          .object({
            http1MaxPendingRequests: z.number().optional(),
            http2MaxRequests: z.number().optional(),
            maxRequestsPerConnection: z.number().optional(),
            maxRetries: z.number().optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    outlierDetection: z
      .object({
        consecutive5xxErrors: z.number().optional(),
        interval: z.string().optional(),
        baseEjectionTime: z.string().optional(),
        maxEjectionPercent: z.number().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type StringMatch = z.infer<typeof stringMatchSchema>;
export type RouteMatch = z.infer<typeof routeMatchSchema>;
export type HttpRoute = z.infer<typeof httpRouteSchema>;
export type TrafficPolicy = z.infer<typeof trafficPolicySchema>;

/** Routes or policies for some of Bookinfo's services. */
export type PerService<T> = { readonly [S in BookinfoService]?: T };

/** A host a Gateway serves: `*`, a DNS name, or a DNS name under a leading `*.` wildcard. */
const GATEWAY_HOST = /^(\*|(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$/;
/** A Kubernetes Secret name (DNS subdomain). */
const SECRET_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const trafficSchema = z
  .object({
    /**
     * The upstream Bookinfo scenario whose routes and policies run (see traffic-presets.ts and the README).
     * @default 'all-v1'
     */
    preset: z
      .enum(TRAFFIC_PRESET_NAMES, {
        error: `must be a traffic preset: ${TRAFFIC_PRESET_NAMES.join(', ')}`,
      })
      .default('all-v1'),
    /** The tutorial's `bookinfo-gateway` on the control plane's ingress gateway. */
    gateway: z
      .object({
        /**
         * Hosts the Gateway serves and the `bookinfo` VirtualService answers for.
         * @default ['*'] (any host, as in the tutorial)
         */
        hosts: z
          .array(z.string().regex(GATEWAY_HOST, { error: 'must be "*", a DNS name, or a DNS name after "*."' }))
          .min(1, { error: 'needs at least one host' })
          .default(['*']),
        /**
         * Serve HTTPS with the certificate in this Secret (a `kubernetes.io/tls` Secret in the ingress gateway's
         * namespace) and redirect HTTP to HTTPS.
         * @default - HTTP only
         */
        https: z
          .object({
            credentialName: z.string().max(253).regex(SECRET_NAME, { error: 'must be the name of a Secret (a DNS subdomain)' }),
          })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    /**
     * Traffic policy of every service's DestinationRule; a preset's policy for a service (the circuit breaker's)
     * overrides it field by field.
     * @default {} (Istio's defaults)
     */
    policy: trafficPolicySchema.default({}),
    /**
     * Routes of our own, by service (Bookinfo's or one of `services`, not a database), replacing the preset's routes
     * of that service. Every subset they name must be a deployed version of it.
     * @default {} (the preset's routes)
     */
    routes: z.record(z.string(), z.array(httpRouteSchema)).default({}),
  })
  .strict();

export type TrafficConfig = z.output<typeof trafficSchema>;

/**
 * Bookinfo versions with the versions a preset deploys appended, so that its routes have subsets to go to
 * (`details-v2` deploys details v2). The configured versions keep their order.
 */
export function withPresetVersions<V extends Readonly<Record<BookinfoService, readonly string[]>>>(
  versions: V,
  preset: TrafficPresetName,
): V {
  const deploys = resolveTrafficPreset(preset).deploys;
  const result: Record<string, readonly string[]> = { ...versions };
  for (const service of BOOKINFO_SERVICES) {
    const missing = (deploys[service] ?? []).filter((v) => !versions[service].includes(v));
    if (missing.length > 0) result[service] = [...versions[service], ...missing];
  }
  return result as V;
}
