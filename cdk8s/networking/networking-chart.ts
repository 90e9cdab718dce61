import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import type { IngressGatewayProfile, ServiceRecord, TrafficConfig } from '../../config';
import { BookinfoGateway } from './bookinfo-gateway';
import { ServiceDestinationRule } from './service-destination-rule';
import { ServiceRoutes } from './service-routes';
import { serviceTraffic } from './service-traffic';

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
 * Istio traffic management: the tutorial's gateway, a DestinationRule per HTTP service (subsets for the deployed
 * versions and the traffic policy) and a VirtualService per service that has routes: those of `traffic.routes`, or of
 * the selected preset (Bookinfo's). DestinationRules come before the routes that name their subsets.
 */
export class NetworkingChart extends Chart {
  constructor(scope: Construct, id: string, props: NetworkingChartProps) {
    super(scope, id, props);
    const { namespace, traffic } = props;
    const services = props.services.map(({ name, versions }) => ({ name, versions: versions.map((v) => v.version) }));

    for (const service of services) {
      new ServiceDestinationRule(this, `${service.name}-destination-rule`, {
        service,
        namespace,
        trafficPolicy: serviceTraffic(traffic, service.name).policy,
        istioMutualTls: props.istioMutualTls,
      });
    }

    new BookinfoGateway(this, 'bookinfo-gateway', {
      namespace,
      ingressGateway: props.ingressGateway,
      hosts: traffic.gateway.hosts,
      httpsCredentialName: traffic.gateway.https?.credentialName,
    });

    for (const service of services) {
      const { routes } = serviceTraffic(traffic, service.name);
      if (routes) new ServiceRoutes(this, `${service.name}-routes`, { service, namespace, routes });
    }
  }
}
