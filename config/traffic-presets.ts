import type { BookinfoService } from './bookinfo';
import type { HttpRoute, PerService, RouteMatch, TrafficPolicy } from './routes';

/**
 * Istio's Bookinfo traffic scenarios (samples/bookinfo/networking in Istio 1.30.3, and the circuit-breaking task), each
 * selectable by name with `traffic.preset`.
 *
 * Upstream's tasks first apply virtual-service-all-v1.yaml and then replace one service's VirtualService, so a preset
 * names a `base` preset whose routes it keeps for the services it does not route itself: every preset but `all-v1`
 * layers on `all-v1`, and the fault injection scenarios layer on `reviews-test-v2`, as the fault injection task does
 * (jason's requests must reach reviews v2, the version that calls ratings, for a fault on ratings to show).
 */
export const TRAFFIC_PRESET_NAMES = [
  'all-v1',
  'reviews-v3',
  'reviews-50-v3',
  'reviews-80-20',
  'reviews-90-10',
  'reviews-v2-v3',
  'reviews-test-v2',
  'reviews-jason-v2-v3',
  'ratings-test-delay',
  'ratings-test-abort',
  'details-v2',
  'details-fault',
  'circuit-breaker',
] as const;

export type TrafficPresetName = (typeof TRAFFIC_PRESET_NAMES)[number];

/** A traffic scenario: routes and DestinationRule policies for some services, on top of its base. */
export interface TrafficPreset {
  /** What the scenario does, in a sentence. */
  readonly description: string;
  /** The upstream file (or task) it reproduces. */
  readonly upstream: string;
  /** The preset whose routes and policies apply to the services this one leaves out. @default - none */
  readonly base?: TrafficPresetName;
  /** HTTP routes by service, replacing the base's routes of that service. @default {} */
  readonly routes?: PerService<readonly HttpRoute[]>;
  /** DestinationRule traffic policies by service. @default {} */
  readonly policies?: PerService<TrafficPolicy>;
  /** Versions the scenario needs beyond upstream's bookinfo.yaml; they are deployed with it. @default {} */
  readonly deploys?: PerService<readonly string[]>;
}

/** A preset with its base applied: routes for every service it routes, policies, and the versions it deploys. */
export interface ResolvedTrafficPreset {
  readonly routes: PerService<readonly HttpRoute[]>;
  readonly policies: PerService<TrafficPolicy>;
  readonly deploys: PerService<readonly string[]>;
}

const to = (subset: string): HttpRoute => ({ to: [{ subset }] });
const split = (weights: Readonly<Record<string, number>>): HttpRoute => ({
  to: Object.entries(weights).map(([subset, weight]) => ({ subset, weight })),
});
/** The fault injection and request routing tasks' test user: productpage sends `end-user: <name>` once logged in. */
const jason: RouteMatch = { headers: { 'end-user': { exact: 'jason' } } };

export const TRAFFIC_PRESETS: Readonly<Record<TrafficPresetName, TrafficPreset>> = {
  'all-v1': {
    description: 'Every service answers from v1.',
    upstream: 'virtual-service-all-v1.yaml',
    routes: { productpage: [to('v1')], reviews: [to('v1')], ratings: [to('v1')], details: [to('v1')] },
  },
  'reviews-v3': {
    description: 'All reviews from v3 (red stars).',
    upstream: 'virtual-service-reviews-v3.yaml',
    base: 'all-v1',
    routes: { reviews: [to('v3')] },
  },
  'reviews-50-v3': {
    description: 'Reviews split 50/50 between v1 (no stars) and v3 (red stars).',
    upstream: 'virtual-service-reviews-50-v3.yaml',
    base: 'all-v1',
    routes: { reviews: [split({ v1: 50, v3: 50 })] },
  },
  'reviews-80-20': {
    description: 'Reviews split 80/20 between v1 and v2 (black stars).',
    upstream: 'virtual-service-reviews-80-20.yaml',
    base: 'all-v1',
    routes: { reviews: [split({ v1: 80, v2: 20 })] },
  },
  'reviews-90-10': {
    description: 'Reviews split 90/10 between v1 and v2.',
    upstream: 'virtual-service-reviews-90-10.yaml',
    base: 'all-v1',
    routes: { reviews: [split({ v1: 90, v2: 10 })] },
  },
  'reviews-v2-v3': {
    description: 'Reviews split 50/50 between v2 and v3.',
    upstream: 'virtual-service-reviews-v2-v3.yaml',
    base: 'all-v1',
    routes: { reviews: [split({ v2: 50, v3: 50 })] },
  },
  'reviews-test-v2': {
    description: 'The user jason sees reviews v2; everyone else v1.',
    upstream: 'virtual-service-reviews-test-v2.yaml',
    base: 'all-v1',
    routes: { reviews: [{ match: [jason], ...to('v2') }, to('v1')] },
  },
  'reviews-jason-v2-v3': {
    description: 'The user jason sees reviews v2; everyone else v3.',
    upstream: 'virtual-service-reviews-jason-v2-v3.yaml',
    base: 'all-v1',
    routes: { reviews: [{ match: [jason], ...to('v2') }, to('v3')] },
  },
  'ratings-test-delay': {
    description:
      "A 7 s delay on jason's calls to ratings (on top of reviews-test-v2): productpage gives up on reviews first.",
    upstream: 'virtual-service-ratings-test-delay.yaml',
    base: 'reviews-test-v2',
    routes: {
      ratings: [{ match: [jason], fault: { delay: { fixedDelay: '7s', percent: 100 } }, ...to('v1') }, to('v1')],
    },
  },
  'ratings-test-abort': {
    description:
      'HTTP 500 from ratings for jason (on top of reviews-test-v2): his reviews say ratings are unavailable.',
    upstream: 'virtual-service-ratings-test-abort.yaml',
    base: 'reviews-test-v2',
    routes: {
      ratings: [{ match: [jason], fault: { abort: { httpStatus: 500, percent: 100 } }, ...to('v1') }, to('v1')],
    },
  },
  'details-v2': {
    description: 'Details from v2 (which looks books up on Google Books); deploys details v2.',
    upstream: 'virtual-service-details-v2.yaml',
    base: 'all-v1',
    routes: { details: [to('v2')] },
    deploys: { details: ['v2'] },
  },
  'details-fault': {
    description: 'Every call to details fails with HTTP 555.',
    // Upstream's file ends with a second route to v1 that no request can reach (the first route matches everything);
    // it is left out here, which routes exactly the same and keeps `istioctl analyze` (IST0130) quiet.
    upstream: 'fault-injection-details-v1.yaml',
    base: 'all-v1',
    routes: { details: [{ fault: { abort: { httpStatus: 555, percent: 100 } }, ...to('v1') }] },
  },
  'circuit-breaker': {
    description: 'A circuit breaker on reviews: one connection, one pending request, ejection after one 5xx.',
    upstream:
      "the circuit-breaking task's DestinationRule (istio.io/latest/docs/tasks/traffic-management/circuit-breaking)",
    base: 'all-v1',
    policies: {
      reviews: {
        connectionPool: {
          tcp: { maxConnections: 1 },
          http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 },
        },
        outlierDetection: { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '3m', maxEjectionPercent: 100 },
      },
    },
  },
};

/** A preset with its base chain applied. */
export function resolveTrafficPreset(name: TrafficPresetName): ResolvedTrafficPreset {
  const preset = TRAFFIC_PRESETS[name];
  const base: ResolvedTrafficPreset = preset.base
    ? resolveTrafficPreset(preset.base)
    : { routes: {}, policies: {}, deploys: {} };
  const deploys: Partial<Record<BookinfoService, readonly string[]>> = { ...base.deploys };
  for (const [service, versions] of Object.entries(preset.deploys ?? {}) as [BookinfoService, readonly string[]][]) {
    deploys[service] = [...new Set([...(deploys[service] ?? []), ...versions])];
  }
  return {
    routes: { ...base.routes, ...preset.routes },
    policies: { ...base.policies, ...preset.policies },
    deploys,
  };
}
