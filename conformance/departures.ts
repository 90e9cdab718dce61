/**
 * Where our analyzer departs from istioctl on purpose, by code and fixture case, each with the upstream source that
 * justifies it; the README's departures list says the same.
 */
export interface AnalyzerDeparture {
  readonly code: string;
  /** The agreement case, such as `IST0101/trigger` or `bookinfo/broken`. */
  readonly case: string;
  readonly reason: string;
  /** The upstream file (and line) that shows our reading is right. */
  readonly source: string;
}

export const ANALYZER_DEPARTURES: readonly AnalyzerDeparture[] = [
  {
    code: 'IST0136',
    case: 'IST0136/trigger',
    reason:
      'istioctl analyze never runs the analyzer that reports alpha-phase annotations: maturity.AlphaAnalyzer is ' +
      'left out of the default analyzers on purpose (too noisy, its comment says; all.go does not list it), though ' +
      "upstream's test grid exercises it. Ours reports it, as an info only, so that an alpha annotation is visible.",
    source: 'pkg/config/analysis/analyzers/maturity/maturity.go (AlphaAnalyzer); pkg/config/analysis/analyzers/all.go',
  },
];

/** Where a check of cdktf/policy reaches a different verdict from Checkov on purpose, with the upstream source. */
export interface PolicyDeparture {
  readonly check: string;
  readonly reason: string;
  readonly source: string;
}

export const POLICY_DEPARTURES: readonly PolicyDeparture[] = [
  {
    check: 'CKV2_GCP_1',
    reason:
      'Checkov only evaluates google_project_default_service_accounts resources connected to a cluster or node pool ' +
      '(none here, so it gives no verdict at all); cdktf/policy checks what the title says, on every cluster and node ' +
      'pool: a service account that is not the Compute Engine default. Stricter, never more lenient.',
    source:
      'bridgecrewio/checkov checkov/terraform/checks/graph_checks/gcp/GKEClustersAreNotUsingDefaultServiceAccount.json',
  },
];
