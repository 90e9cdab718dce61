import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { HTTP_METHODS } from '../../config/call-graph';
import {
  AuthorizationPolicy,
  AuthorizationPolicySpecAction,
  type AuthorizationPolicySpec,
  type AuthorizationPolicySpecRules,
} from '../../imports/security.istio.io';
import { GATEWAY_API_GROUP } from '../../kube/gateway-api';
import type { IMeshService, MeshIdentity } from '../mesh/mesh-service';

/** One call to allow: these identities may call that service, with these methods and paths, on this port. */
export interface AllowedCall {
  /** The callers' identities (a MeshService's `identities`, or the ingress gateway's). */
  readonly from: readonly MeshIdentity[];
  /** The service called: its pods (`app: <name>`) get the policy. */
  readonly to: IMeshService;
  /**
   * HTTP methods allowed; leave them out for a TCP service such as a database.
   * @default - any method
   */
  readonly methods?: readonly string[];
  /**
   * Request paths allowed (Istio's exact, `/prefix/*`, `*\/suffix` or `*` forms).
   * @default - any path
   */
  readonly paths?: readonly string[];
  /**
   * The port called; one of the service's.
   * @default - the service's first port
   */
  readonly port?: number;
}

export interface CallGraphAuthorizationProps {
  /**
   * Namespace of the called services (and of the policies).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** The calls to allow; nothing else is. */
  readonly calls: readonly AllowedCall[];
  /**
   * Trust domain of the mesh's identities.
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;
  /**
   * Who enforces the policies. `sidecar`: every pod's proxy enforces each rule whole. `ambient`: ztunnel enforces
   * selector-based policies, at L4 only (principals, ports); a rule with methods or paths needs the called service's
   * waypoint (`waypoints`), which enforces policies that name the Service in `targetRefs`.
   * @default 'sidecar'
   */
  readonly dataplane?: 'sidecar' | 'ambient';
  /**
   * Ambient data plane: the waypoint (Gateway name) of each service whose traffic goes through one. Its pods run as
   * the ServiceAccount istiod names after the Gateway.
   * @default {}
   */
  readonly waypoints?: Readonly<Record<string, string>>;
  /**
   * Gateway API gateways in the namespace that anyone may call on their listeners' ports (an ingress gateway Istio
   * deploys there falls under `allow-nothing` too). Each gets an ALLOW policy `<gateway>-clients` attached to its
   * Gateway by `targetRefs` (a selector on a Gateway's pods has no effect: IST0166).
   * @default - none
   */
  readonly openGateways?: readonly OpenGateway[];
}

/** A Gateway API gateway open to any client on some ports. */
export interface OpenGateway {
  /** Name of the Gateway. */
  readonly name: string;
  /** Ports its pods listen on (its listeners' ports); at least one. */
  readonly ports: readonly number[];
}

/**
 * Least-privilege authorization from a call graph: `allow-nothing` denies every request to the namespace's
 * workloads, and one ALLOW policy per called service (`<service>-callers`) lets in exactly the callers named, by
 * service-account principal, with the methods, port and paths of their calls.
 *
 * On the ambient data plane the same calls are split by layer. ztunnel never sees HTTP, and a waypoint enforces
 * only policies with `targetRefs`, so:
 * - `allow-nothing` (no selector) makes ztunnel deny by default, and `allow-nothing-at-waypoints` (targetRefs to
 *   every waypoint) the waypoints;
 * - a service with a waypoint: `<service>-callers` targets the Service with the whole rules (principals, methods,
 *   paths, port), enforced by its waypoint; `<service>-via-waypoint` lets ztunnel pass to the pods only the waypoint
 *   (which is who ztunnel sees calling), on the called ports, so no caller can go around it;
 * - a service without one: `<service>-callers` selects its pods with principals and ports, which ztunnel enforces;
 *   a call with methods or paths to it is an error, as ztunnel would deny it (an ALLOW rule it cannot read matches
 *   nothing).
 */
export class CallGraphAuthorization extends Construct {
  /** Name of the namespace-wide policy that denies whatever no other policy allows. */
  public static readonly DENY_BY_DEFAULT = 'allow-nothing';
  /** Name of the policy that makes the waypoints deny whatever no other policy allows (ambient). */
  public static readonly DENY_AT_WAYPOINTS = 'allow-nothing-at-waypoints';

  /** The policies, deny-by-default first. */
  public readonly policies: AuthorizationPolicy[] = [];

  constructor(scope: Construct, id: string, props: CallGraphAuthorizationProps) {
    super(scope, id);
    const trustDomain = props.trustDomain ?? 'cluster.local';
    const namespace = props.namespace ?? Chart.of(this).namespace;
    const ambient = (props.dataplane ?? 'sidecar') === 'ambient';
    const waypoints = props.waypoints ?? {};
    if (!ambient && Object.keys(waypoints).length > 0) {
      throw new Error(`CallGraphAuthorization "${id}": waypoints are given, but only the ambient data plane has them`);
    }
    for (const call of props.calls) {
      const at = `CallGraphAuthorization "${id}": call to ${call.to.name}`;
      if (call.from.length === 0) throw new Error(`${at}: from is empty; give the identities of its callers`);
      const methods = call.methods && methodsProblem(call.methods);
      if (methods) throw new Error(`${at}: methods = ${JSON.stringify(call.methods)}: ${methods}`);
      const path = call.paths?.find((p) => pathProblem(p) !== undefined);
      if (path !== undefined) throw new Error(`${at}: path = ${JSON.stringify(path)}: ${pathProblem(path)}`);
      if (call.port !== undefined && !call.to.ports.includes(call.port)) {
        throw new Error(
          `${at}: port = ${call.port}: must be one of ${call.to.name}'s ports: ${call.to.ports.join(', ')}`,
        );
      }
      if (ambient && !waypoints[call.to.name] && (call.methods || call.paths)) {
        throw new Error(
          `${at}: allows ${call.methods ? `methods ${call.methods.join(', ')}` : `paths ${call.paths!.join(', ')}`}, ` +
            `an L7 rule that ztunnel cannot enforce, and ${call.to.name} has no waypoint; give it one (waypoints) or ` +
            'leave methods and paths out',
        );
      }
    }
    // An ALLOW policy with no rules matches nothing; applied to the whole namespace it denies every request.
    this.policies.push(
      new AuthorizationPolicy(this, CallGraphAuthorization.DENY_BY_DEFAULT, {
        metadata: { name: CallGraphAuthorization.DENY_BY_DEFAULT, namespace },
        spec: {},
      }),
    );
    for (const gateway of props.openGateways ?? []) {
      const bad = gateway.ports.find((port) => !Number.isInteger(port) || port < 1 || port > 65535);
      if (gateway.ports.length === 0 || bad !== undefined) {
        throw new Error(
          `CallGraphAuthorization "${id}": gateway ${gateway.name}: ports = ${JSON.stringify(gateway.ports)}: ` +
            'must be one or more ports from 1 to 65535',
        );
      }
      this.policies.push(
        new AuthorizationPolicy(this, `${gateway.name}-clients`, {
          metadata: { name: `${gateway.name}-clients`, namespace },
          spec: {
            targetRefs: [{ group: GATEWAY_API_GROUP, kind: 'Gateway', name: gateway.name }],
            action: AuthorizationPolicySpecAction.ALLOW,
            rules: [{ to: [{ operation: { ports: gateway.ports.map(String) } }] }],
          },
        }),
      );
    }
    const waypointNames = [...new Set(Object.values(waypoints))];
    if (waypointNames.length > 0) {
      this.policies.push(
        new AuthorizationPolicy(this, CallGraphAuthorization.DENY_AT_WAYPOINTS, {
          metadata: { name: CallGraphAuthorization.DENY_AT_WAYPOINTS, namespace },
          spec: { targetRefs: waypointNames.map((name) => ({ group: GATEWAY_API_GROUP, kind: 'Gateway', name })) },
        }),
      );
    }
    const allow = (name: string, target: Pick<AuthorizationPolicySpec, 'selector' | 'targetRefs'>, rules: Rule[]) =>
      this.policies.push(
        new AuthorizationPolicy(this, name, {
          metadata: { name, namespace },
          spec: { ...target, action: AuthorizationPolicySpecAction.ALLOW, rules },
        }),
      );
    const pods = (service: string) => ({ selector: { matchLabels: { app: service } } });
    for (const service of [...new Set(props.calls.map((call) => call.to.name))]) {
      const calls = props.calls.filter((call) => call.to.name === service);
      const rules = calls.map((call) => ruleFor(call, trustDomain));
      const waypoint = ambient ? waypoints[service] : undefined;
      if (!waypoint) {
        allow(`${service}-callers`, pods(service), rules);
        continue;
      }
      allow(`${service}-callers`, { targetRefs: [{ group: '', kind: 'Service', name: service }] }, rules);
      const ports = [...new Set(calls.map((call) => call.port ?? call.to.ports[0]))];
      allow(`${service}-via-waypoint`, pods(service), [
        ruleFor(
          { from: [{ namespace: namespace ?? 'default', serviceAccount: waypoint }], to: calls[0].to, ports },
          trustDomain,
        ),
      ]);
    }
  }
}

const PATH = /^(\*|\*?\/[^\s*]*\*?)$/;

/** What is wrong with the methods of a call, if anything. */
export function methodsProblem(methods: readonly string[]): string | undefined {
  const bad = methods.filter((m) => !(HTTP_METHODS as readonly string[]).includes(m));
  return methods.length === 0 || bad.length > 0 ? `must be one or more of ${HTTP_METHODS.join(', ')}` : undefined;
}

/** What is wrong with a path of a call, if anything. */
export function pathProblem(path: string): string | undefined {
  return PATH.test(path) ? undefined : 'must be a path such as /ratings/0, /ratings/* or */reviews, or *';
}

type Rule = AuthorizationPolicySpecRules;

/** The rule of a call (or, with `ports`, of the calls on those ports with no methods or paths). */
function ruleFor(call: AllowedCall & { readonly ports?: readonly number[] }, trustDomain: string): Rule {
  const principals = call.from.map((id) => `${trustDomain}/ns/${id.namespace}/sa/${id.serviceAccount}`);
  const ports = call.ports ?? [call.port ?? call.to.ports[0]];
  return {
    from: [{ source: { principals } }],
    to: [
      {
        operation: {
          methods: call.methods && [...call.methods],
          ports: ports.map(String),
          paths: call.paths && [...call.paths],
        },
      },
    ],
  };
}
