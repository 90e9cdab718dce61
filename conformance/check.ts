import type { Tool } from './tools/tool';

/** How a check ended: `not run` is never a pass, and the report says so loudly. */
export type Status = 'passed' | 'failed' | 'not run';

/** What a check found, as CONFORMANCE.md reports it. */
export interface CheckResult {
  readonly id: CheckId;
  readonly title: string;
  readonly status: Status;
  /** One line with the figures: what was judged and what was found. */
  readonly figure: string;
  /** Every failure, each naming the object, field or attribute. */
  readonly failures: readonly string[];
  /** What the check could not judge and why, and how it reads the tools' output. */
  readonly notes: readonly string[];
  /** Extra Markdown (the analyzer's agreement table). */
  readonly details?: string;
}

export const CHECK_IDS = ['validation', 'injection', 'analysis', 'terraform', 'policy'] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** The tools the checks run, as installed (a tool without `path` could not be had). */
export interface Toolbox {
  readonly istioctl: Tool;
  readonly charts: Tool;
  readonly helm: Tool;
  readonly tofu: Tool;
  readonly providers: readonly Tool[];
  readonly pluginDir: string;
  readonly checkov: Tool;
  /** A scratch folder for this run. */
  readonly work: string;
}

/** A check that cannot run because a tool is missing: loud, never a pass. */
export function notRun(id: CheckId, title: string, why: string, notes: readonly string[] = []): CheckResult {
  return { id, title, status: 'not run', figure: `NOT RUN: ${why}`, failures: [], notes };
}

export function resultOf(
  id: CheckId,
  title: string,
  figure: string,
  failures: readonly string[],
  notes: readonly string[] = [],
  details?: string,
): CheckResult {
  return {
    id,
    title,
    status: failures.length > 0 ? 'failed' : 'passed',
    figure,
    failures,
    notes,
    ...(details ? { details } : {}),
  };
}
