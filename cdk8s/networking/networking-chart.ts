import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  resolveTrafficPreset,
  type IngressGatewayProfile,
  type ServiceRecord,
  type TrafficConfig,
  type TrafficPolicy,
} from '../../config';
import { BookinfoGateway, servicePort } from './bookinfo-gateway';
import { BookinfoKubernetesGateway } from './bookinfo-kubernetes-gateway';
import { ServiceDestinationRule } from './service-destination-rule';
import { ServiceRoutes } from './service-routes';

export interface NetworkingChartProps extends ChartProps {
  /** The services' namespace, where every object of this chart lives. */
  readonly namespace: string;
  /** The control plane's ingress gateway. */
  readonly ingressGateway: IngressGatewayProfile;
  /** The traffic preset, gateway hosts and HTTPS, traffic policy and routes of our own. */
  readonly traffic: TrafficConfig;
  /** The services that carry HTTP (no databases), with their deployed versions: the subsets of their DestinationRules. */
  readonly services: readonly ServiceRecord[];
  /**
   * Write `tls.mode: ISTIO_MUTUAL` into every DestinationRule rather than relying on istiod's auto mTLS.
   * @default false
   */
  readonly istioMutualTls?: boolean;
}

/**
 * Istio traffic management: the tutorial's gateway (Istio's Gateway and VirtualService, or with `traffic.ingress:
 * 'gateway-api'` a Kubernetes Gateway and HTTPRoute), a DestinationRule per HTTP service (subsets for the deployed
 * versions and the traffic policy) and a VirtualService per service that has routes: those of `traffic.routes`, or of
 * the selected preset (Bookinfo's). DestinationRules come before the routes that name their subsets.
 */
export class NetworkingChart extends Chart {
  constructor(scope: Construct, id: string, props: NetworkingChartProps) {
    super(scope, id, props);
    const { namespace, traffic } = props;
    const preset = resolveTrafficPreset(traffic.preset);
    const presetOf = <T>(perService: Readonly<Partial<Record<string, T>>>, service: string) => perService[service];
    const services = props.services.map(({ name, versions }) => ({ name, versions: versions.map((v) => v.version) }));

    for (const service of services) {
      new ServiceDestinationRule(this, `${service.name}-destination-rule`, {
        service,
        namespace,
        trafficPolicy: mergePolicies(traffic.policy, presetOf(preset.policies, service.name)),
        istioMutualTls: props.istioMutualTls,
      });
    }

    if (traffic.ingress === 'gateway-api') {
      new BookinfoKubernetesGateway(this, 'bookinfo-gateway', {
        namespace,
        httpPort: servicePort(props.ingressGateway, 'http'),
        httpsPort: traffic.gateway.https ? servicePort(props.ingressGateway, 'https') : undefined,
        hosts: traffic.gateway.hosts,
        httpsCredentialName: traffic.gateway.https?.credentialName,
        address: traffic.gateway.address,
      });
    } else {
      new BookinfoGateway(this, 'bookinfo-gateway', {
        namespace,
        ingressGateway: props.ingressGateway,
        hosts: traffic.gateway.hosts,
        httpsCredentialName: traffic.gateway.https?.credentialName,
      });
    }

    for (const service of services) {
      const routes = traffic.routes[service.name] ?? presetOf(preset.routes, service.name);
      if (routes) new ServiceRoutes(this, `${service.name}-routes`, { service, namespace, routes });
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
