import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  BOOKINFO_SERVICES,
  resolveTrafficPreset,
  type BookinfoService,
  type IngressGatewayProfile,
  type TrafficConfig,
  type TrafficPolicy,
} from '../../config';
import { BookinfoGateway } from './bookinfo-gateway';
import { ServiceDestinationRule } from './service-destination-rule';
import { ServiceRoutes } from './service-routes';

export interface NetworkingChartProps extends ChartProps {
  /** Bookinfo's namespace, where every object of this chart lives. */
  readonly namespace: string;
  /** The control plane's ingress gateway. */
  readonly ingressGateway: IngressGatewayProfile;
  /** The traffic preset, gateway hosts and HTTPS, traffic policy and routes of our own. */
  readonly traffic: TrafficConfig;
  /** The deployed versions of each service (the subsets of its DestinationRule). */
  readonly versions: Readonly<Record<BookinfoService, readonly string[]>>;
  /**
   * Write `tls.mode: ISTIO_MUTUAL` into every DestinationRule rather than relying on istiod's auto mTLS.
   * @default false
   */
  readonly istioMutualTls?: boolean;
}

/**
 * Istio traffic management for Bookinfo: the tutorial's gateway, a DestinationRule per service (subsets for the
 * deployed versions and the traffic policy) and a VirtualService per service with the routes of the selected preset
 * (or of `traffic.routes`). DestinationRules come before the routes that name their subsets.
 */
export class NetworkingChart extends Chart {
  constructor(scope: Construct, id: string, props: NetworkingChartProps) {
    super(scope, id, props);
    const { namespace, traffic, versions } = props;
    const preset = resolveTrafficPreset(traffic.preset);

    for (const service of BOOKINFO_SERVICES) {
      new ServiceDestinationRule(this, `${service}-destination-rule`, {
        service,
        namespace,
        versions: versions[service],
        trafficPolicy: mergePolicies(traffic.policy, preset.policies[service]),
        istioMutualTls: props.istioMutualTls,
      });
    }

    new BookinfoGateway(this, 'bookinfo-gateway', {
      namespace,
      ingressGateway: props.ingressGateway,
      hosts: traffic.gateway.hosts,
      httpsCredentialName: traffic.gateway.https?.credentialName,
    });

    for (const service of BOOKINFO_SERVICES) {
      const routes = traffic.routes[service] ?? preset.routes[service];
      if (routes) {
        new ServiceRoutes(this, `${service}-routes`, { service, namespace, deployedVersions: versions[service], routes });
      }
    }
  }
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
