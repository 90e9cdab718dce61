import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, type Chart } from 'cdk8s';
import { BOOKINFO_GATEWAY_NAME, MESH_PROFILES, serviceCatalogue, sidecarInjection, type Environment } from '../config';
import { writeYamlStream } from '../kube/yaml-writer';
import { callGraphOf, meshContextOf } from './analyzer-context';
import { verifyManifests } from '../analyze/verify';
import { withSyncWaves } from './argocd/sync-waves';
import { injectSidecars } from '../inject/injection-pass';
import { injectionNamespaceLabels } from '../inject/namespace-labels';
import type { ChartManifests, Manifest } from '../kube/object';
import { NamespaceChart } from './namespace/namespace-chart';
import { WorkloadsChart } from './mesh/workloads-chart';
import { waypointPlan } from './mesh/waypoint-plan';
import { DATAPLANE_MODE_LABEL } from '../kube/ambient';
import { NetworkingChart } from './networking/networking-chart';
import { SecurityChart } from './security/security-chart';

/** Where the Kubernetes YAML goes, relative to the project root (cdk8s.yaml says the same); Argo CD reads it from git. */
export const KUBERNETES_OUTDIR = 'dist/cdk8s';

/** Common labels on every object this project writes. */
export const CHART_LABELS = { 'app.kubernetes.io/part-of': 'hello-istio' };

/** Builds the cdk8s app of one environment: its charts, in the order they must be applied. */
export function buildKubernetesApp(env: Environment): App {
  const app = new App();
  const catalogue = serviceCatalogue(env);
  const ambient = env.mesh.dataplane === 'ambient';
  const waypoints = waypointPlan(env);
  new NamespaceChart(app, 'namespace', {
    name: env.namespace,
    labels: CHART_LABELS,
    namespaceLabels: {
      ...injectionNamespaceLabels(sidecarInjection(env)),
      ...(ambient ? { [DATAPLANE_MODE_LABEL]: 'ambient' } : {}),
    },
  });
  new SecurityChart(app, 'security', {
    namespace: env.namespace,
    rootNamespace: MESH_PROFILES[env.mesh.mode].rootNamespace,
    security: env.security,
    callGraph: env.callGraph,
    catalogue,
    ingressGateway: env.ingressGateway,
    dataplane: env.mesh.dataplane,
    waypoints: Object.fromEntries(waypoints.map((w) => [w.service, w.name])),
    // The gateway Istio deploys for the tutorial's Gateway runs in Bookinfo's namespace: open its listeners.
    openGateways:
      env.traffic.ingress === 'gateway-api'
        ? [{ name: BOOKINFO_GATEWAY_NAME, ports: gatewayListenerPorts(env) }]
        : undefined,
    labels: CHART_LABELS,
  });
  new WorkloadsChart(app, 'workloads', {
    namespace: env.namespace,
    services: catalogue.services,
    waypoints,
    revision: env.istio.revision,
    labels: CHART_LABELS,
  });
  new NetworkingChart(app, 'networking', {
    namespace: env.namespace,
    ingressGateway: env.ingressGateway,
    traffic: env.traffic,
    services: catalogue.httpServices,
    istioMutualTls: env.security.mtls.destinationRuleTls === 'istio-mutual',
    labels: CHART_LABELS,
  });
  return app;
}

/** The ports the tutorial's Gateway listens on: HTTP, and HTTPS when configured (the ingress gateway's ports). */
function gatewayListenerPorts(env: Environment): number[] {
  const names = env.traffic.gateway.https ? ['http', 'https'] : ['http'];
  return env.ingressGateway.ports.filter((p) => names.includes(p.name)).map((p) => p.targetPort);
}

/**
 * Synthesizes an environment's charts to plain objects, in memory, then runs the passes over them: sidecar injection,
 * Argo CD sync waves, then validation and analysis of the whole. An error throws (MeshVerificationError); warnings are
 * appended to `warnings`.
 */
export function synthesizeKubernetes(env: Environment, warnings: string[] = []): ChartManifests[] {
  const app = buildKubernetesApp(env);
  const charts = app.charts.map((chart: Chart, index) => ({
    file: `${String(index).padStart(4, '0')}-${chart.node.id}.k8s.yaml`,
    manifests: chart.toJson() as Manifest[],
  }));
  const passed = injectSidecars(sidecarInjection(env), charts).map((chart) => ({
    ...chart,
    manifests: withSyncWaves(chart.manifests),
  }));
  warnings.push(
    ...verifyManifests(
      passed.flatMap((chart) => chart.manifests),
      { ...meshContextOf(env), callGraph: callGraphOf(env) },
    ),
  );
  return passed;
}

/** Writes an environment's charts into `<outdir>/<environment>/`, one YAML file per chart. */
export function writeKubernetes(env: Environment, charts: readonly ChartManifests[], outdir: string): string[] {
  const dir = path.join(outdir, env.name);
  fs.mkdirSync(dir, { recursive: true });
  return charts.map((chart) => {
    const file = path.join(dir, chart.file);
    writeYamlStream(file, chart.manifests);
    return file;
  });
}
