import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import { BOOKINFO_APP_VERSIONS, deployedVersions, type BookinfoConfig, type CallEdge, type IngressGatewayProfile, type SecurityConfig } from '../../config';
import { bookinfoCallGraph, type CallGraph } from './call-graph';
import { CallGraphAuthorization } from './call-graph-authorization';
import { MutualTls } from './mutual-tls';

export interface SecurityChartProps extends ChartProps {
  /** Bookinfo's namespace. */
  readonly namespace: string;
  /** The control plane's root namespace, where a mesh-wide PeerAuthentication lives. */
  readonly rootNamespace: string;
  /** mTLS mode and scope, and whether authorization follows the call graph. */
  readonly security: SecurityConfig;
  /** The declared call graph. */
  readonly callGraph: readonly CallEdge[];
  /** The deployed versions of each service (an edge from versions that do not run stays closed). */
  readonly versions: BookinfoConfig['versions'];
  /** The control plane's ingress gateway, a caller in the graph. */
  readonly ingressGateway: IngressGatewayProfile;
}

/**
 * Bookinfo's security: mutual TLS (namespace- or mesh-wide) and least-privilege authorization from the call graph.
 * It comes before the workloads, so that no pod ever runs without it.
 */
export class SecurityChart extends Chart {
  /** The checked call graph the policies were derived from. */
  public readonly callGraph: CallGraph;

  constructor(scope: Construct, id: string, props: SecurityChartProps) {
    super(scope, id, props);
    const { mtls, authorization } = props.security;
    this.callGraph = bookinfoCallGraph(props.callGraph, props.versions);
    const deployed = deployedVersions(props.versions);

    new MutualTls(this, 'mutual-tls', {
      mode: mtls.mode,
      namespace: mtls.scope === 'mesh' ? props.rootNamespace : props.namespace,
    });
    if (authorization === 'call-graph') {
      new CallGraphAuthorization(this, 'authorization', {
        namespace: props.namespace,
        callGraph: this.callGraph,
        ingressGateway: props.ingressGateway,
        services: Object.keys(BOOKINFO_APP_VERSIONS).filter((app) => app in deployed),
        versions: props.versions,
      });
    }
  }
}
