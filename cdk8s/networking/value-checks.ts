import { ConfigError } from '../../config';

/**
 * Collects what is wrong with the values of one object, each problem naming where it is and the bad value, and throws
 * them all at once.
 */
export class Problems {
  private readonly problems: string[] = [];

  /** @param heading what is being checked, for example `Invalid routes` */
  constructor(private readonly heading: string) {}

  /** Records `problem` (if any) about `value` found at `where`. */
  public check(where: string, value: unknown, problem: string | undefined): void {
    if (problem !== undefined) this.problems.push(`${where} = ${JSON.stringify(value)}: ${problem}`);
  }

  public add(problem: string): void {
    this.problems.push(problem);
  }

  /** @throws ConfigError listing every recorded problem */
  public throwIfAny(): void {
    if (this.problems.length > 0) {
      throw new ConfigError(`${this.heading}:\n${this.problems.map((p) => `  - ${p}`).join('\n')}`);
    }
  }
}

/**
 * A duration as Istio's CRDs accept it (Go syntax): `7s`, `500ms`, `1m30s`, `0.5s`. µ is written \u00b5 so that the
 * command bundles stay ASCII, which cli/run.mjs reads several times faster than UTF-8.
 */
const DURATION = /^(?:\d+(?:\.\d+)?(?:h|m|s|ms|us|\u00b5s|ns))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(h|ms|m|s|us|\u00b5s|ns)/g;
const MILLISECONDS: Readonly<Record<string, number>> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 1e-3,
  µs: 1e-3,
  ns: 1e-6,
};

/** What is wrong with a duration, if anything: Istio wants at least 1ms, written like `7s` or `500ms`. */
export function durationProblem(value: string): string | undefined {
  const valid = 'must be a duration of at least 1ms, such as 7s, 500ms or 1m30s';
  if (value.trim().startsWith('-')) return `is negative; ${valid}`;
  if (!DURATION.test(value)) return valid;
  let milliseconds = 0;
  for (const [, amount, unit] of value.matchAll(DURATION_PART)) milliseconds += Number(amount) * MILLISECONDS[unit];
  return milliseconds < 1 ? valid : undefined;
}

/** What is wrong with a percentage, if anything. */
export function percentProblem(value: number): string | undefined {
  return Number.isFinite(value) && value >= 0 && value <= 100 ? undefined : 'must be a percentage from 0 to 100';
}

/** What is wrong with a whole number that must lie in [min, max], if anything. */
export function wholeNumberProblem(value: number, min: number, max = 2 ** 31 - 1): string | undefined {
  return Number.isInteger(value) && value >= min && value <= max
    ? undefined
    : `must be a whole number from ${min} to ${max}`;
}
