import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import { ConfigError, type IngressGatewayProfile, type ServiceRecord, type TrafficConfig } from '../../config';
import { BookinfoGateway, servicePort } from './bookinfo-gateway';
import { BookinfoKubernetesGateway } from './bookinfo-kubernetes-gateway';
import { ServiceDestinationRule } from './service-destination-rule';
import { ServiceHttpRoutes } from './service-http-routes';
import { ServiceRoutes } from './service-routes';
import { serviceTraffic } from './service-traffic';
import { versionServiceName, VersionServices } from './version-services';

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
 * the selected preset (Bookinfo's). DestinationRules come before the routes that name their subsets. With the Gateway
 * API, the routes are HTTPRoutes whose parent is the service, sending to a Service per version (upstream's
 * samples/bookinfo/gateway-api), and the traffic policy goes to those Services' DestinationRules.
 */
export class NetworkingChart extends Chart {
  constructor(scope: Construct, id: string, props: NetworkingChartProps) {
    super(scope, id, props);
    const { namespace, traffic } = props;
    const services = props.services.map(({ name, versions }) => ({ name, versions: versions.map((v) => v.version) }));

    const gatewayApi = traffic.ingress === 'gateway-api';
    for (const service of services) {
      const trafficPolicy = serviceTraffic(traffic, service.name).policy;
      if (!gatewayApi) {
        new ServiceDestinationRule(this, `${service.name}-destination-rule`, {
          service,
          namespace,
          trafficPolicy,
          istioMutualTls: props.istioMutualTls,
        });
        continue;
      }
      // Gateway API routes reach a version through its own Service, not a subset: a policy goes to each of those
      // Services as well as to the service's own (no subsets; a DestinationRule only where there is a policy).
      if (Object.keys(trafficPolicy).length === 0 && !props.istioMutualTls) continue;
      for (const name of [service.name, ...service.versions.map((v) => versionServiceName(service.name, v))]) {
        new ServiceDestinationRule(this, `${name}-destination-rule`, {
          service: { name, versions: [] },
          namespace,
          trafficPolicy,
          istioMutualTls: props.istioMutualTls,
        });
      }
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
      const { routes } = serviceTraffic(traffic, service.name);
      if (!gatewayApi) {
        if (routes) new ServiceRoutes(this, `${service.name}-routes`, { service, namespace, routes });
        continue;
      }
      // As upstream's bookinfo-versions.yaml: a Service per version, for Gateway API routes to send to.
      const record = props.services.find((s) => s.name === service.name)!;
      const taken = service.versions
        .map((v) => versionServiceName(service.name, v))
        .find((name) => props.services.some((s) => s.name === name));
      if (taken) {
        throw new ConfigError(
          `traffic.ingress gateway-api names the Service of ${service.name}'s version ${taken.slice(service.name.length + 1)} ` +
            `"${taken}", which is the name of a service of this environment: rename that service`,
        );
      }
      new VersionServices(this, `${service.name}-versions`, {
        service: service.name,
        versions: service.versions,
        ports: record.ports,
        namespace,
      });
      if (routes) {
        new ServiceHttpRoutes(this, `${service.name}-http-routes`, {
          service,
          port: record.ports[0].port,
          namespace,
          routes,
          origin: traffic.routes[service.name]
            ? `traffic.routes.${service.name}`
            : `preset "${traffic.preset}" (its routes of ${service.name})`,
        });
      }
    }
  }
}
