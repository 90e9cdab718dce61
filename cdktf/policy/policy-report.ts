import type { PolicyWaiver } from '../../config';
import { CHECKOV_CHECKS } from './checkov-gcp';
import { addressOf, type PolicyCheck, type StackResources, type Verdict } from './terraform-config';
import { TRIVY_CHECKS } from './trivy-gke';

/** Every check this project runs over its Terraform, by id. */
export const POLICY_CHECKS: readonly PolicyCheck[] = [...CHECKOV_CHECKS, ...TRIVY_CHECKS];

const CHECK_IDS = new Set(POLICY_CHECKS.map((c) => c.id));

/** One check's verdict on one resource. */
export interface PolicyResult {
  readonly check: PolicyCheck;
  /** `stack/type.name` */
  readonly resource: string;
  readonly verdict: Verdict;
}

/** The checks' verdicts on an environment's stacks, reconciled with its waivers. */
export interface PolicyReport {
  readonly results: readonly PolicyResult[];
  /** Failures no waiver covers: each needs a fix or a waiver. */
  readonly failures: readonly PolicyResult[];
  /** Failures a waiver covers. */
  readonly waived: readonly PolicyResult[];
  /** Waivers whose check fails nowhere: they can go. */
  readonly unusedWaivers: readonly PolicyWaiver[];
}

/** Runs every check on every resource it applies to. */
export function checkPolicy(stacks: readonly StackResources[], waivers: readonly PolicyWaiver[]): PolicyReport {
  const results: PolicyResult[] = [];
  for (const stack of stacks) {
    for (const resource of stack.resources) {
      for (const check of POLICY_CHECKS) {
        if (!check.resourceTypes.includes(resource.type)) continue;
        results.push({ check, resource: addressOf(resource), verdict: check.evaluate(resource, stack) });
      }
    }
  }
  const waivedIds = new Set(waivers.map((w) => w.id));
  const failed = results.filter((r) => r.verdict === 'failed');
  const failedIds = new Set(failed.map((r) => r.check.id));
  return {
    results,
    failures: failed.filter((r) => !waivedIds.has(r.check.id)),
    waived: failed.filter((r) => waivedIds.has(r.check.id)),
    unusedWaivers: waivers.filter((w) => !failedIds.has(w.id)),
  };
}

/**
 * Stops on a waiver that names no check this project runs (a typo would otherwise waive nothing, silently).
 * @throws Error naming the environment, the waiver and the checks there are
 */
export function assertKnownWaivers(environment: string, waivers: readonly PolicyWaiver[]): void {
  const problems = waivers.flatMap((waiver, index) =>
    CHECK_IDS.has(waiver.id)
      ? []
      : [`policy.waivers.${index}.id = ${JSON.stringify(waiver.id)}: names no check this project runs`],
  );
  if (problems.length > 0) {
    throw new Error(
      `environment "${environment}": ${problems.join('; ')}. The checks are: ${[...CHECK_IDS].join(', ')}`,
    );
  }
}

/** What a reviewer must hear about a report: unwaived failures and waivers that no longer waive anything. */
export function policyWarnings(report: PolicyReport): string[] {
  return [
    ...report.failures.map(
      (r) =>
        `policy check ${r.check.id} (${r.check.title}) fails for ${r.resource}: fix the configuration, or add a ` +
        'waiver with its reason to policy.waivers',
    ),
    ...report.unusedWaivers.map(
      (w) => `policy waiver ${w.id} waives a check that passes everywhere: remove it from policy.waivers`,
    ),
  ];
}
