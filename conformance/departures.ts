/**
 * Where our analyzer departs from istioctl on purpose, by code and fixture case, each with the upstream source that
 * justifies it; the README's departures list says the same. Empty until a departure is shown to be right.
 */
export interface AnalyzerDeparture {
  readonly code: string;
  /** The agreement case, such as `IST0101/trigger` or `bookinfo/broken`. */
  readonly case: string;
  readonly reason: string;
  /** The upstream file (and line) that shows our reading is right. */
  readonly source: string;
}

export const ANALYZER_DEPARTURES: readonly AnalyzerDeparture[] = [];
