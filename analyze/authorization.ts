import { callerOf } from './call-graph';
import { matchesPattern } from './hosts';
import { type PodModel } from '../kube/object-index';
import { arr, rec, str } from '../kube/object';
import type { AuthorizationPolicyModel, AuthorizationRuleModel, Mesh, ServiceModel, WaypointModel } from './mesh';
import { WAYPOINT_GATEWAY_CLASS } from '../kube/ambient';
import { GATEWAY_API_GROUP } from '../kube/gateway-api';

/**
 * Istio's authorization, evaluated offline for requests between workloads (the call-graph checks' engine).
 * Only what a manifest decides is evaluated: who calls (principal, namespace, service account, trust domain), the
 * port and the method. Conditions that depend on the request itself (paths, hosts, JWT claims, IP blocks, `when`)
 * cannot be, and make a rule's answer "maybe".
 */

/** A call as the callee's proxy sees it. */
export interface Request {
  /** `<trust domain>/ns/<namespace>/sa/<account>` */
  readonly principal: string;
  /** The workload port called (a Service's targetPort). */
  readonly port: number;
  /** The HTTP method, or undefined for "any method the caller likes". */
  readonly method?: string;
  /**
   * Where the policies are enforced: by a proxy that reads HTTP (a sidecar, gateway or waypoint), or by ztunnel,
   * which sees only L4 (Istio then drops a rule's HTTP parts: an ALLOW rule with any never matches, a DENY rule
   * matches on the rest).
   * @default 'L7'
   */
  readonly layer?: 'L4' | 'L7';
}

/** Rule fields only a proxy that reads HTTP can enforce (istiod's ambient policy conversion). */
const L7_OPERATION_FIELDS = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'];
const L7_SOURCE_FIELDS = ['remoteIpBlocks', 'notRemoteIpBlocks', 'requestPrincipals', 'notRequestPrincipals'];
const L4_CONDITIONS = ['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port'];

/** The fields of a rule that ztunnel cannot enforce (`to.operation.methods`, `when[request.headers]`, ...). */
export function l7FieldsOf(rule: AuthorizationRuleModel): string[] {
  const fields = new Set<string>();
  for (const to of rule.to ?? []) {
    for (const field of Object.keys(rec(to.operation))) if (L7_OPERATION_FIELDS.includes(field)) fields.add(field);
  }
  for (const from of rule.from ?? []) {
    for (const field of Object.keys(rec(from.source))) if (L7_SOURCE_FIELDS.includes(field)) fields.add(field);
  }
  for (const when of rule.when ?? []) {
    const key = str(rec(when).key);
    if (key !== undefined && !L4_CONDITIONS.includes(key)) fields.add(`when ${key}`);
  }
  return [...fields];
}

export type Verdict = 'yes' | 'no' | 'maybe';

/** Policies that apply to workloads, per workload, computed once per mesh. */
export class PolicyIndex {
  private readonly byWorkload = new Map<PodModel, AuthorizationPolicyModel[]>();
  private readonly workloadsByPolicy = new Map<AuthorizationPolicyModel, readonly PodModel[]>();

  constructor(private readonly mesh: Mesh) {
    for (const policy of mesh.authorizationPolicies) {
      if (policy.targetsRefs) continue;
      const meshWide = policy.namespace === mesh.rootNamespace;
      const workloads = mesh.selectWorkloads(meshWide ? undefined : policy.namespace, policy.selector ?? {});
      this.workloadsByPolicy.set(policy, workloads);
      for (const workload of workloads) {
        const list = this.byWorkload.get(workload);
        if (list) list.push(policy);
        else this.byWorkload.set(workload, [policy]);
      }
    }
  }

  /** The AuthorizationPolicies (by selector, namespace or mesh) that apply to a workload's proxy. */
  policiesOf(workload: PodModel): readonly AuthorizationPolicyModel[] {
    return this.byWorkload.get(workload) ?? [];
  }

  /** The workloads a policy applies to. */
  workloadsOf(policy: AuthorizationPolicyModel): readonly PodModel[] {
    return this.workloadsByPolicy.get(policy) ?? [];
  }

  /**
   * The policies a waypoint enforces on traffic to a Service (istiod's attachment rules for waypoints): those whose
   * targetRefs name the Service (in its namespace), the waypoint's Gateway (in its namespace), or, in the root
   * namespace, the `istio-waypoint` GatewayClass. Waypoints never read selectors.
   */
  waypointPoliciesOf(service: ServiceModel, waypoint: WaypointModel): AuthorizationPolicyModel[] {
    return this.mesh.authorizationPolicies.filter((policy) =>
      policy.targetRefs.some((ref) => {
        const sameNamespace = (ns: string) => policy.namespace === ns && (ref.namespace ?? ns) === ns;
        if (ref.kind === 'Service' && ['', 'core'].includes(ref.group)) {
          return ref.name === service.name && sameNamespace(service.namespace);
        }
        if (ref.group !== GATEWAY_API_GROUP) return false;
        if (ref.kind === 'Gateway') return ref.name === waypoint.name && sameNamespace(waypoint.namespace);
        return (
          ref.kind === 'GatewayClass' &&
          ref.name === WAYPOINT_GATEWAY_CLASS &&
          policy.namespace === this.mesh.rootNamespace
        );
      }),
    );
  }
}

/** One place a call's policies are enforced, and the request as it arrives there. */
export interface EnforcementPoint {
  /** What enforces: a workload's sidecar or ztunnel, or a waypoint. */
  readonly at: string;
  readonly policies: readonly AuthorizationPolicyModel[];
  readonly request: Request;
  /** The workload (not a waypoint) where the policies are enforced. */
  readonly workload?: PodModel;
}

/**
 * Where a call to a workload behind a Service is authorized, in order. A workload with a proxy of its own: there,
 * whole. A workload in the ambient mesh: at the Service's waypoint, if the call goes through one (with the caller's
 * identity, at L7), then by ztunnel in front of the workload, at L4, where the caller is the waypoint if there was
 * one.
 */
export function enforcementPoints(
  mesh: Mesh,
  index: PolicyIndex,
  service: ServiceModel,
  workload: PodModel,
  request: Request,
  trustDomain = 'cluster.local',
): EnforcementPoint[] {
  const direct = { at: `workload ${workload.name}`, policies: index.policiesOf(workload), workload };
  if (!mesh.inAmbient(workload)) return [{ ...direct, request }];
  const caller = callerOf(request.principal);
  const fromGateway =
    caller !== undefined && mesh.gatewayIdentities.has(`${caller.namespace}/${caller.serviceAccount}`);
  const waypoint = mesh.waypointOf(service, fromGateway);
  const l4 = { port: request.port, layer: 'L4' as const };
  const ztunnel = { ...direct, at: `ztunnel in front of workload ${workload.name}` };
  if (!waypoint) return [{ ...ztunnel, request: { ...l4, principal: request.principal } }];
  const principal = `${trustDomain}/ns/${waypoint.namespace}/sa/${waypoint.name}`;
  return [
    {
      at: `waypoint ${waypoint.namespace}/${waypoint.name}`,
      policies: index.waypointPoliciesOf(service, waypoint),
      request: { ...request, layer: 'L7' },
    },
    { ...ztunnel, request: { ...l4, principal } },
  ];
}

/** What happens to a request at a workload: Istio's order is CUSTOM, DENY, then ALLOW (if any ALLOW policy applies). */
export function decide(
  policies: readonly AuthorizationPolicyModel[],
  request: Request,
): { readonly allowed: boolean; readonly deniedBy?: AuthorizationPolicyModel } {
  const deniedBy = policies.find((p) => p.action === 'DENY' && policyMatches(p, request, 'DENY') === 'yes');
  if (deniedBy) return { allowed: false, deniedBy };
  const allow = policies.filter((p) => p.action === 'ALLOW');
  return { allowed: allow.length === 0 || allow.some((p) => policyMatches(p, request) !== 'no') };
}

/** Whether any rule of a policy matches (a policy without rules matches nothing: ALLOW with no rules allows nothing). */
export function policyMatches(
  policy: AuthorizationPolicyModel,
  request: Request,
  action: 'ALLOW' | 'DENY' = 'ALLOW',
): Verdict {
  return anyOf(policy.rules.map((rule) => ruleMatches(rule, request, action)));
}

export function ruleMatches(
  rule: AuthorizationRuleModel,
  request: Request,
  action: 'ALLOW' | 'DENY' = 'ALLOW',
): Verdict {
  if (request.layer === 'L4' && l7FieldsOf(rule).length > 0) {
    if (action === 'ALLOW') return 'no';
    const to = rule.to?.map((t) => ({ ...t, operation: withoutFields(rec(t.operation), L7_OPERATION_FIELDS) }));
    const from = rule.from?.map((f) => ({ ...f, source: withoutFields(rec(f.source), L7_SOURCE_FIELDS) }));
    const when = rule.when?.filter((w) => L4_CONDITIONS.includes(str(rec(w).key) ?? ''));
    return ruleMatches({ ...rule, to, from, when }, { ...request, layer: 'L7' }, action);
  }
  const from = callerMatches(rule, request);
  const to =
    rule.to && rule.to.length > 0 ? anyOf(rule.to.map((t) => operationMatches(rec(t.operation), request))) : 'yes';
  const when: Verdict = rule.when && rule.when.length > 0 ? 'maybe' : 'yes';
  return allOf([from, to, when]);
}

/** Whether a rule's `from` admits the caller of a request (whatever the port and method). */
export function callerMatches(rule: AuthorizationRuleModel, request: Request): Verdict {
  return rule.from && rule.from.length > 0 ? anyOf(rule.from.map((f) => sourceMatches(rec(f.source), request))) : 'yes';
}

const EVALUATED_SOURCE_FIELDS = new Set([
  'principals',
  'notPrincipals',
  'namespaces',
  'notNamespaces',
  'serviceAccounts',
  'notServiceAccounts',
  'trustDomains',
  'notTrustDomains',
]);

function sourceMatches(source: Record<string, unknown>, request: Request): Verdict {
  const caller = callerOf(request.principal);
  const values = {
    principals: request.principal,
    namespaces: caller?.namespace,
    serviceAccounts: caller && `${caller.namespace}/${caller.serviceAccount}`,
    trustDomains: caller?.trustDomain,
  };
  const verdicts: Verdict[] = [];
  for (const [field, raw] of Object.entries(source)) {
    if (!EVALUATED_SOURCE_FIELDS.has(field)) {
      verdicts.push('maybe');
      continue;
    }
    const negated = field.startsWith('not');
    const key = (negated ? field[3].toLowerCase() + field.slice(4) : field) as keyof typeof values;
    const value = values[key];
    const hit = value !== undefined && patterns(raw).some((p) => matchesPattern(p, value));
    verdicts.push(hit !== negated ? 'yes' : 'no');
  }
  return allOf(verdicts);
}

function operationMatches(operation: Record<string, unknown>, request: Request): Verdict {
  const verdicts: Verdict[] = [];
  for (const [field, raw] of Object.entries(operation)) {
    const values = patterns(raw);
    switch (field) {
      case 'ports':
        verdicts.push(values.includes(String(request.port)) ? 'yes' : 'no');
        break;
      case 'notPorts':
        verdicts.push(values.includes(String(request.port)) ? 'no' : 'yes');
        break;
      case 'methods':
        // "Any method" is admitted only by a rule that admits every method.
        verdicts.push(
          request.method === undefined
            ? values.includes('*')
              ? 'yes'
              : 'no'
            : values.some((p) => matchesPattern(p, request.method!))
              ? 'yes'
              : 'no',
        );
        break;
      case 'notMethods':
        verdicts.push(
          request.method === undefined ? 'no' : values.some((p) => matchesPattern(p, request.method!)) ? 'no' : 'yes',
        );
        break;
      default:
        verdicts.push('maybe');
    }
  }
  return allOf(verdicts);
}

const withoutFields = (object: Record<string, unknown>, fields: readonly string[]) =>
  Object.fromEntries(Object.entries(object).filter(([field]) => !fields.includes(field)));

const patterns = (raw: unknown): string[] => arr(raw).filter((v): v is string => typeof v === 'string');

function allOf(verdicts: readonly Verdict[]): Verdict {
  return verdicts.includes('no') ? 'no' : verdicts.includes('maybe') ? 'maybe' : 'yes';
}

function anyOf(verdicts: readonly Verdict[]): Verdict {
  return verdicts.includes('yes') ? 'yes' : verdicts.includes('maybe') ? 'maybe' : 'no';
}

/**
 * The workload port a Service port sends to: a numeric targetPort, a named one looked up among the workload's
 * container ports, or the Service port itself. Undefined when the Service has no such port.
 */
export function workloadPortOf(service: ServiceModel, servicePort: number, workload: PodModel): number | undefined {
  const port = service.ports.find((p) => p.port === servicePort);
  if (!port) return undefined;
  if (typeof port.targetPort === 'number') return port.targetPort;
  if (typeof port.targetPort === 'string') {
    return workload.containers.flatMap((c) => c.ports).find((p) => p.name === port.targetPort)?.containerPort;
  }
  return port.port;
}
