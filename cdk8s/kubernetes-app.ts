import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Yaml, type Chart } from 'cdk8s';
import type { Environment } from '../config';
import { meshContextOf } from './analyze/mesh-context';
import { verifyManifests } from './analyze/verify';
import { NamespaceChart } from './namespace/namespace-chart';

/** A Kubernetes manifest as plain JSON. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** One chart's synthesized objects, in apply order. */
export interface ChartManifests {
  /** The output file name, numbered so that `kubectl apply -f <folder>` applies charts in order. */
  readonly file: string;
  readonly manifests: Manifest[];
}

/** Common labels on every object this project writes. */
const CHART_LABELS = { 'app.kubernetes.io/part-of': 'hello-istio' };

/** Builds the cdk8s app of one environment: its charts, in the order they must be applied. */
export function buildKubernetesApp(env: Environment): App {
  const app = new App();
  new NamespaceChart(app, 'namespace', { name: env.namespace, labels: CHART_LABELS });
  return app;
}

/**
 * Synthesizes an environment's charts to plain objects, in memory, then validates and analyzes them as a whole:
 * an error throws (MeshVerificationError), warnings are appended to `warnings`.
 */
export function synthesizeKubernetes(env: Environment, warnings: string[] = []): ChartManifests[] {
  const app = buildKubernetesApp(env);
  const charts = app.charts.map((chart: Chart, index) => ({
    file: `${String(index).padStart(4, '0')}-${chart.node.id}.k8s.yaml`,
    manifests: chart.toJson() as Manifest[],
  }));
  warnings.push(...verifyManifests(charts.flatMap((chart) => chart.manifests), meshContextOf(env)));
  return charts;
}

/** Writes an environment's charts into `<outdir>/<environment>/`, one YAML file per chart. */
export function writeKubernetes(env: Environment, charts: readonly ChartManifests[], outdir: string): string[] {
  const dir = path.join(outdir, env.name);
  fs.mkdirSync(dir, { recursive: true });
  return charts.map((chart) => {
    const file = path.join(dir, chart.file);
    fs.writeFileSync(file, Yaml.stringify(...chart.manifests));
    return file;
  });
}
