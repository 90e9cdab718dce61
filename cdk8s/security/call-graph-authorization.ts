import { Construct } from 'constructs';
import type { BookinfoConfig, IngressGatewayProfile } from '../../config';
import { AuthorizationPolicy, AuthorizationPolicySpecAction, type AuthorizationPolicySpecRules } from '../../imports/security.istio.io';
import { callerIdentities, type CallGraph, type CallGraphEdge } from './call-graph';

export interface CallGraphAuthorizationProps {
  /** Namespace of the services (and of the policies). */
  readonly namespace: string;
  /** The calls to allow. */
  readonly callGraph: CallGraph;
  /** The ingress gateway, whose service account is the `ingress-gateway` caller's identity. */
  readonly ingressGateway: IngressGatewayProfile;
  /** Apps (services and databases) that run, by name; each gets a policy if an open edge calls it. */
  readonly services: readonly string[];
  /** The deployed versions: a caller's identities are the service accounts its deployed versions run as. */
  readonly versions: BookinfoConfig['versions'];
  /**
   * Trust domain of the mesh's identities.
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;
}

/**
 * Least-privilege authorization from the call graph: `allow-nothing` denies every request to the namespace's
 * workloads, and one ALLOW policy per called service (`<service>-callers`) lets in exactly the callers the graph
 * names, by service-account principal, with the methods, port and paths of their edges.
 */
export class CallGraphAuthorization extends Construct {
  /** Name of the namespace-wide policy that denies whatever no other policy allows. */
  public static readonly DENY_BY_DEFAULT = 'allow-nothing';

  /** The policies, deny-by-default first. */
  public readonly policies: AuthorizationPolicy[] = [];

  constructor(scope: Construct, id: string, props: CallGraphAuthorizationProps) {
    super(scope, id);
    const trustDomain = props.trustDomain ?? 'cluster.local';
    const principalsOf = (edge: CallGraphEdge): string[] =>
      callerIdentities(edge, props).map((id) => `${trustDomain}/ns/${id.namespace}/sa/${id.serviceAccount}`);

    // An ALLOW policy with no rules matches nothing; applied to the whole namespace it denies every request.
    this.policies.push(
      new AuthorizationPolicy(this, CallGraphAuthorization.DENY_BY_DEFAULT, {
        metadata: { name: CallGraphAuthorization.DENY_BY_DEFAULT, namespace: props.namespace },
        spec: {},
      }),
    );
    for (const service of props.services) {
      const callers = props.callGraph.callersOf(service);
      if (callers.length === 0) continue;
      this.policies.push(
        new AuthorizationPolicy(this, `${service}-callers`, {
          metadata: { name: `${service}-callers`, namespace: props.namespace },
          spec: {
            selector: { matchLabels: { app: service } },
            action: AuthorizationPolicySpecAction.ALLOW,
            rules: callers.map((edge) => ruleFor(edge, principalsOf(edge))),
          },
        }),
      );
    }
  }
}

function ruleFor(edge: CallGraphEdge, principals: string[]): AuthorizationPolicySpecRules {
  return {
    from: [{ source: { principals } }],
    to: [{ operation: { methods: edge.methods && [...edge.methods], ports: [String(edge.port)], paths: edge.paths && [...edge.paths] } }],
  };
}
