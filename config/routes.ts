import { z } from 'zod';
import type { DestinationRuleSpecTrafficPolicyLoadBalancerSimple } from '../imports/networking.istio.io';
import type { BookinfoService } from './bookinfo';

/**
 * The shapes of routes and traffic policies (field names and types), read by the traffic config and by the presets.
 * What a value means (weights that add up to 100, subsets that are deployed, durations, percentages) is checked by
 * the cdk8s constructs that write the objects, so that routes written in code are checked the same way.
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
        tcp: z
          .object({ maxConnections: z.number().optional(), connectTimeout: z.string().optional() })
          .strict()
          .optional(),
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
