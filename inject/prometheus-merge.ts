import { parseGoBool } from './annotation-validation';
import { goJson } from './go-json';
import { ANNOTATION } from './pod-annotations';

/**
 * Prometheus metrics merging: a scraped pod is scraped through the agent instead, which serves Envoy's and the
 * app's metrics together on `:15020/stats/prometheus`. The app's own `prometheus.io/*` annotations move into the
 * sidecar's `ISTIO_PROMETHEUS_ANNOTATIONS`, and the pod is annotated to point at the agent. Istio's
 * applyPrometheusMerge, in TypeScript.
 */

export const PROMETHEUS_ANNOTATIONS_ENV = 'ISTIO_PROMETHEUS_ANNOTATIONS';

export interface PrometheusMerge {
  /** The pod's annotations after the merge. */
  readonly annotations: Record<string, string>;
  /** The `ISTIO_PROMETHEUS_ANNOTATIONS` value, when the pod had any prometheus.io annotation. */
  readonly scrapeConfig?: string;
}

/**
 * Applies the merge unless the pod opts out (`prometheus.io/scrape: "false"` or
 * `prometheus.istio.io/merge-metrics: "false"`) or already points at the agent.
 */
export function mergePrometheusAnnotations(
  annotations: Readonly<Record<string, string>>,
  statusPort: number,
): PrometheusMerge {
  const target = String(statusPort);
  const find = (name: string) => Object.keys(annotations).find((key) => sanitizeLabelName(key) === name);
  const scrapeKey = find('prometheus_io_scrape');
  const scrape = scrapeKey === undefined ? undefined : parseGoBool(annotations[scrapeKey]);
  const mergeValue = annotations[ANNOTATION.prometheusMergeMetrics];
  const merge = (mergeValue === undefined ? undefined : parseGoBool(mergeValue)) ?? true;
  if (scrape === false || !merge) return { annotations: { ...annotations } };
  const portKey = find('prometheus_io_port');
  if (portKey !== undefined && annotations[portKey] === target) return { annotations: { ...annotations } };

  const pathKey = find('prometheus_io_path');
  const config = {
    scrape: scrapeKey === undefined ? '' : annotations[scrapeKey],
    path: pathKey === undefined ? '' : annotations[pathKey],
    port: portKey === undefined ? '' : annotations[portKey],
  };
  const merged = Object.fromEntries(
    Object.entries(annotations).filter(([key]) => !PROMETHEUS_KEYS.has(sanitizeLabelName(key))),
  );
  merged['prometheus.io/port'] = target;
  merged['prometheus.io/path'] = '/stats/prometheus';
  merged['prometheus.io/scrape'] = 'true';
  const empty = config.scrape === '' && config.path === '' && config.port === '';
  return { annotations: merged, scrapeConfig: empty ? undefined : goJson(config) };
}

const PROMETHEUS_KEYS = new Set(['prometheus_io_scrape', 'prometheus_io_port', 'prometheus_io_path']);

/** Annotation names as sanitized so far (pods repeat the same few). */
const SANITIZED = new Map<string, string>();

/** Prometheus reads `prometheus.io/scrape`, `prometheus-io/scrape` and `prometheus.io.scrape` alike. */
function sanitizeLabelName(name: string): string {
  let sanitized = SANITIZED.get(name);
  if (sanitized === undefined) {
    sanitized = name.replace(/[^a-zA-Z0-9_]/g, '_');
    if (SANITIZED.size >= 10_000) SANITIZED.clear();
    SANITIZED.set(name, sanitized);
  }
  return sanitized;
}
