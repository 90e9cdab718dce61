import { resolveTrafficPreset, type HttpRoute, type TrafficConfig, type TrafficPolicy } from '../../config';

/** What the traffic configuration asks of one service: its routes, if any, and its DestinationRule's policy. */
export interface ServiceTraffic {
  /** The environment's own routes of the service, or else the preset's. */
  readonly routes?: readonly HttpRoute[];
  /** The environment's traffic policy with the preset's settings for the service over it. */
  readonly policy: TrafficPolicy;
}

/** The routes and traffic policy of a service, as the networking chart writes them. */
export function serviceTraffic(traffic: TrafficConfig, service: string): ServiceTraffic {
  const preset = resolveTrafficPreset(traffic.preset);
  const of = <T>(perService: Readonly<Partial<Record<string, T>>>) => perService[service];
  return {
    routes: traffic.routes[service] ?? of(preset.routes),
    policy: mergePolicies(traffic.policy, of(preset.policies)),
  };
}

/** `policy` with the fields that `override` sets replaced (per setting, not per section). */
function mergePolicies(policy: TrafficPolicy, override: TrafficPolicy = {}): TrafficPolicy {
  const merged: TrafficPolicy = {
    loadBalancer: override.loadBalancer ?? policy.loadBalancer,
    connectionPool: section({
      tcp: section({ ...policy.connectionPool?.tcp, ...override.connectionPool?.tcp }),
      http: section({ ...policy.connectionPool?.http, ...override.connectionPool?.http }),
    }),
    outlierDetection: section({ ...policy.outlierDetection, ...override.outlierDetection }),
  };
  return section(merged) ?? {};
}

/** The object without its undefined fields, or undefined if none is left. */
function section<T extends object>(value: T): T | undefined {
  const defined = Object.entries(value).filter(([, v]) => v !== undefined);
  return defined.length > 0 ? (Object.fromEntries(defined) as T) : undefined;
}
