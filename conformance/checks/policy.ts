import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkPolicy } from '../../cdktf/policy/policy-report';
import { CHECKOV_CHECKS } from '../../cdktf/policy/checkov-gcp';
import { addressOf, stackResources, type TerraformJson } from '../../cdktf/policy/terraform-config';
import { stackIds } from '../../cdktf/terraform-app';
import type { Environment } from '../../config';
import { notRun, resultOf, type CheckResult, type Toolbox } from '../check';
import { POLICY_DEPARTURES } from '../departures';
import { answerOf, run } from '../process';
import { terraformStacks, type Subjects } from '../subjects';

const TITLE = 'Policy: Checkov over dist/cdktf, against `cdktf/policy/` and the waivers in config';

interface CheckovResult {
  readonly check_id: string;
  readonly check_name?: string;
  readonly resource: string;
  readonly file_path: string;
}

interface CheckovReport {
  readonly results: {
    readonly passed_checks: CheckovResult[];
    readonly failed_checks: CheckovResult[];
    readonly skipped_checks?: CheckovResult[];
  };
}

type Verdict = 'passed' | 'failed';

/** Runs Checkov over a dist/cdktf folder; verdicts keyed `stack/type.name check`. */
export function runCheckov(
  checkov: string,
  cdktf: string,
): { verdicts: Map<string, { verdict: Verdict; name: string }>; error?: string } {
  // --skip-download: no guideline download (this machine reaches package registries only); --compact, quiet JSON.
  const result = run(
    checkov,
    ['-d', cdktf, '--framework', 'terraform_json', '-o', 'json', '--compact', '--skip-download'],
    {
      env: { BC_SKIP_MAPPING: 'TRUE', LOG_LEVEL: 'ERROR' },
    },
  );
  let parsed: CheckovReport | CheckovReport[];
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    return { verdicts: new Map(), error: `Checkov printed no JSON (exit ${result.code}): ${answerOf(result)}` };
  }
  const reports = Array.isArray(parsed) ? parsed : [parsed];
  const verdicts = new Map<string, { verdict: Verdict; name: string }>();
  for (const report of reports) {
    for (const [list, verdict] of [
      [report.results?.passed_checks ?? [], 'passed'],
      [report.results?.failed_checks ?? [], 'failed'],
    ] as const) {
      for (const r of list) {
        // file_path is /stacks/<stack>/cdk.tf.json; in CDKTF's JSON Checkov names a resource `resource.<name>`,
        // without its type (the names are unique in a stack), so results are keyed by stack and name.
        const stack = r.file_path.split('/').filter(Boolean).at(-2) ?? r.file_path;
        verdicts.set(`${stack}/${r.resource.split('.').at(-1)} ${r.check_id}`, { verdict, name: r.check_name ?? '' });
      }
    }
  }
  return { verdicts };
}

function environmentOf(stack: string, environments: readonly Environment[]): Environment | undefined {
  return environments.find((env) => Object.values(stackIds(env)).includes(stack));
}

export function policyCheck(subjects: Subjects, tools: Toolbox): CheckResult {
  const checkov = tools.checkov.path;
  if (!checkov) return notRun('policy', TITLE, 'Checkov could not be had (see Tools)');
  const { verdicts, error } = runCheckov(checkov, path.join(subjects.dist, 'cdktf'));
  if (error) return resultOf('policy', TITLE, 'Checkov did not run to the end', [error]);
  const failures: string[] = [];
  const ours = new Map<string, string>();
  /** `stack/name` to `stack/type.name`, for the messages. */
  const addresses = new Map<string, string>();
  const reimplemented = new Set(CHECKOV_CHECKS.map((c) => c.id));
  for (const { id, file } of terraformStacks(subjects.dist)) {
    const stack = stackResources(id, JSON.parse(fs.readFileSync(file, 'utf8')) as TerraformJson);
    const env = environmentOf(id, subjects.environments);
    for (const r of checkPolicy([stack], env?.policy.waivers ?? []).results) {
      if (reimplemented.has(r.check.id)) ours.set(`${id}/${r.resource.split('.').at(-1)} ${r.check.id}`, r.verdict);
    }
    // every resource Checkov judged with a check we reimplement must be one we judged too
    for (const resource of stack.resources) {
      addresses.set(`${id}/${resource.name}`, addressOf(resource));
      for (const checkId of reimplemented) {
        const key = `${id}/${resource.name} ${checkId}`;
        if (verdicts.has(key) && !ours.has(key)) {
          failures.push(
            `${checkId} on ${addressOf(resource)}: Checkov says ${verdicts.get(key)!.verdict}, cdktf/policy does not look at ${resource.type}`,
          );
        }
      }
    }
  }
  let agreed = 0;
  const departed = new Set<string>();
  for (const [key, verdict] of ours) {
    const [resource, checkId] = key.split(' ');
    const theirs = verdicts.get(key)?.verdict ?? 'not evaluated';
    // Checkov's UNKNOWN is neither passed nor failed: it is left out of its report, as `not evaluated`
    const same = theirs === verdict || (verdict === 'unknown' && theirs === 'not evaluated');
    const departure = POLICY_DEPARTURES.find((d) => d.check === checkId);
    if (same) agreed++;
    else if (departure && theirs === 'not evaluated') departed.add(checkId);
    else
      failures.push(
        `${checkId} on ${addresses.get(resource) ?? resource}: cdktf/policy says ${verdict}, Checkov says ${theirs}`,
      );
  }
  // every failing Checkov check: fixed, or waived (with its reason) in the environment's policy.waivers
  let waived = 0;
  const failing = [...verdicts].filter(([, v]) => v.verdict === 'failed');
  const others = failing.filter(([key]) => !reimplemented.has(key.split(' ')[1]));
  for (const [key, { name }] of failing) {
    const [resource, checkId] = key.split(' ');
    const env = environmentOf(resource.split('/')[0], subjects.environments);
    if (env?.policy.waivers.some((w) => w.id === checkId)) waived++;
    else
      failures.push(
        `${checkId} (${name}) fails on ${addresses.get(resource) ?? resource}: fix it, or waive it with its reason in the environment's policy.waivers`,
      );
  }
  // a waiver of a Checkov-only check that fails nowhere waives nothing (a typo, or a fixed finding)
  const failedIds = new Set([...verdicts].filter(([, v]) => v.verdict === 'failed').map(([key]) => key.split(' ')[1]));
  for (const env of subjects.environments) {
    for (const w of env.policy.waivers) {
      if (w.id.startsWith('CKV') && !reimplemented.has(w.id) && !failedIds.has(w.id)) {
        failures.push(
          `environment "${env.name}": policy waiver ${w.id} waives a Checkov check that fails nowhere: remove it`,
        );
      }
    }
  }
  const checkovFailed = [...verdicts.values()].filter((v) => v.verdict === 'failed').length;
  return resultOf(
    'policy',
    TITLE,
    `Checkov: ${verdicts.size} verdicts (${checkovFailed} failed); ${CHECKOV_CHECKS.length} checks reimplemented in cdktf/policy: ` +
      `${agreed} of ${ours.size} verdicts the same${departed.size > 0 ? ` (${[...departed].join(', ')}: expected departure)` : ''}; ${failing.length} failing verdicts (${others.length} of checks not reimplemented), ${waived} waived in config`,
    failures,
    [
      ...POLICY_DEPARTURES.filter((d) => departed.has(d.check)).map(
        (d) => `Expected departure, ${d.check}: ${d.reason} (${d.source})`,
      ),
      "Trivy's checks (AVD-GCP-*), which cdktf/policy also reimplements, are not judged here: Trivy is not installed by " +
        'conformance (the issue names Checkov).',
    ],
  );
}
