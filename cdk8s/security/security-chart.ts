import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import type { CallEdge, IngressGatewayProfile, SecurityConfig, ServiceCatalogue } from '../../config';
import { CallGraph, callerIdentities } from './call-graph';
import { CallGraphAuthorization, type AllowedCall, type OpenGateway } from './call-graph-authorization';
import { MutualTls } from './mutual-tls';

export interface SecurityChartProps extends ChartProps {
  /** The services' namespace. */
  readonly namespace: string;
  /** The control plane's root namespace, where a mesh-wide PeerAuthentication lives. */
  readonly rootNamespace: string;
  /** mTLS mode and scope, and whether authorization follows the call graph. */
  readonly security: SecurityConfig;
  /** The declared call graph. */
  readonly callGraph: readonly CallEdge[];
  /** The services: who runs, at which versions, as whom (an edge from versions that do not run stays closed). */
  readonly catalogue: ServiceCatalogue;
  /** The control plane's ingress gateway, a caller in the graph. */
  readonly ingressGateway: IngressGatewayProfile;
  /**
   * Who enforces authorization: the sidecars, or (ambient) ztunnel and the waypoints.
   * @default 'sidecar'
   */
  readonly dataplane?: 'sidecar' | 'ambient';
  /**
   * Ambient data plane: the waypoint of each service that has one, by service name.
   * @default {}
   */
  readonly waypoints?: Readonly<Record<string, string>>;
  /**
   * Gateway API gateways in the services' namespace that anyone may call on these ports (see CallGraphAuthorization).
   * @default - none
   */
  readonly openGateways?: readonly OpenGateway[];
}

/**
 * The mesh's security: mutual TLS (namespace- or mesh-wide) and least-privilege authorization from the call graph.
 * It comes before the workloads, so that no pod ever runs without it.
 */
export class SecurityChart extends Chart {
  /** The checked call graph the policies were derived from. */
  public readonly callGraph: CallGraph;

  constructor(scope: Construct, id: string, props: SecurityChartProps) {
    super(scope, id, props);
    const { mtls, authorization } = props.security;
    const { catalogue, namespace } = props;
    this.callGraph = new CallGraph(props.callGraph, catalogue);

    new MutualTls(this, 'mutual-tls', {
      mode: mtls.mode,
      namespace: mtls.scope === 'mesh' ? props.rootNamespace : namespace,
    });
    if (authorization === 'call-graph') {
      const calls = catalogue.services.flatMap((service) =>
        this.callGraph.callersOf(service.name).map((edge): AllowedCall => ({
          from: callerIdentities(edge, { namespace, ingressGateway: props.ingressGateway, catalogue }),
          to: {
            name: service.name,
            versions: service.versions.map((v) => v.version),
            ports: service.ports.map((p) => p.port),
          },
          methods: edge.methods,
          paths: edge.paths,
          port: edge.port,
        })),
      );
      new CallGraphAuthorization(this, 'authorization', {
        namespace,
        calls,
        dataplane: props.dataplane,
        waypoints: props.waypoints,
        openGateways: props.openGateways,
      });
    }
  }
}
