import { callerOf } from './call-graph';
import { matchesPattern } from './hosts';
import { type PodModel } from '../kube/object-index';
import { arr, rec } from '../kube/object';
import type { AuthorizationPolicyModel, AuthorizationRuleModel, Mesh, ServiceModel } from './mesh';

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
}

export type Verdict = 'yes' | 'no' | 'maybe';

/** Policies that apply to workloads, per workload, computed once per mesh. */
export class PolicyIndex {
  private readonly byWorkload = new Map<PodModel, AuthorizationPolicyModel[]>();
  private readonly workloadsByPolicy = new Map<AuthorizationPolicyModel, readonly PodModel[]>();

  constructor(mesh: Mesh) {
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
}

/** What happens to a request at a workload: Istio's order is CUSTOM, DENY, then ALLOW (if any ALLOW policy applies). */
export function decide(
  policies: readonly AuthorizationPolicyModel[],
  request: Request,
): { readonly allowed: boolean; readonly deniedBy?: AuthorizationPolicyModel } {
  const deniedBy = policies.find((p) => p.action === 'DENY' && policyMatches(p, request) === 'yes');
  if (deniedBy) return { allowed: false, deniedBy };
  const allow = policies.filter((p) => p.action === 'ALLOW');
  return { allowed: allow.length === 0 || allow.some((p) => policyMatches(p, request) !== 'no') };
}

/** Whether any rule of a policy matches (a policy without rules matches nothing: ALLOW with no rules allows nothing). */
export function policyMatches(policy: AuthorizationPolicyModel, request: Request): Verdict {
  return anyOf(policy.rules.map((rule) => ruleMatches(rule, request)));
}

export function ruleMatches(rule: AuthorizationRuleModel, request: Request): Verdict {
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
