import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { withSyncWaves } from '../cdk8s/argocd/sync-waves';
import { buildKubernetesApp } from '../cdk8s/kubernetes-app';
import type { Manifest } from '../kube/object';
import { stackIds } from '../cdktf/terraform-app';
import { ConfigError, loadEnvironments, TRAFFIC_PRESET_NAMES, type Environment } from '../config';
import { renderKubernetes } from '../pipeline/render';

/** What conformance judges: a synthesized dist/ and what produced it. The self-test judges planted copies. */
export interface Subjects {
  /** A folder laid out as dist/: cdk8s/<env>/*.yaml and cdktf/stacks/<stack>/cdk.tf.json. */
  readonly dist: string;
  readonly environments: readonly Environment[];
  /** Every traffic preset of every environment, as `npm run render` prints it. */
  readonly presets: readonly RenderedPreset[];
  /**
   * Every environment that can take the Gateway API ingress (mesh.mode istio-helm), rendered with
   * `--set traffic.ingress=gateway-api` and each preset the Gateway API can express.
   */
  readonly gatewayApi: readonly RenderedPreset[];
  /** The presets those renders refuse, and why (the synth error's first line). */
  readonly gatewayApiRefused: readonly string[];
  /** Fixtures `npm run kube-inject` is tested on: files of workloads without sidecars. */
  readonly injectFixtures: readonly string[];
  /** Our analyzer's fixtures (one folder per code, and Bookinfo samples). */
  readonly analyzeFixtures: string;
}

export interface RenderedPreset {
  readonly environment: string;
  readonly preset: string;
  /** `--set` overrides of the render. @default - none */
  readonly set?: readonly string[];
  readonly yaml: string;
}

/** The command line of a render, for messages: `render --env default --preset all-v1 --set ...`. */
export function renderCommand(render: RenderedPreset): string {
  const set = (render.set ?? []).map((s) => ` --set ${s}`).join('');
  return `render --env ${render.environment} --preset ${render.preset}${set}`;
}

/** The `--set` that renders an environment with the Gateway API ingress. */
export const GATEWAY_API_SET = 'traffic.ingress=gateway-api';

/** The committed dist/ of the project at `root`, with its configured environments. */
export function projectSubjects(root: string): Subjects {
  const environments = loadEnvironments();
  const fixtures = path.join(root, 'test', 'inject', 'fixtures');
  return {
    dist: path.join(root, 'dist'),
    environments,
    presets: environments.flatMap((env) =>
      TRAFFIC_PRESET_NAMES.map((preset) => ({
        environment: env.name,
        preset,
        yaml: renderKubernetes({ environment: env.name, preset }),
      })),
    ),
    ...gatewayApiRenders(environments),
    injectFixtures: fs.existsSync(fixtures)
      ? fs
          .readdirSync(fixtures)
          .filter((f) => /\.ya?ml$/.test(f) && !/\.injected\.ya?ml$/.test(f))
          .sort()
          .map((f) => path.join(fixtures, f))
      : [],
    analyzeFixtures: path.join(root, 'test', 'analyze', 'fixtures'),
  };
}

/** Each preset of each environment that can take it, rendered with the Gateway API ingress, or why it cannot be. */
function gatewayApiRenders(environments: readonly Environment[]): Pick<Subjects, 'gatewayApi' | 'gatewayApiRefused'> {
  const gatewayApi: RenderedPreset[] = [];
  const gatewayApiRefused: string[] = [];
  for (const env of environments.filter((e) => e.mesh.mode === 'istio-helm')) {
    for (const preset of TRAFFIC_PRESET_NAMES) {
      const render = { environment: env.name, preset, set: [GATEWAY_API_SET] };
      try {
        gatewayApi.push({ ...render, yaml: renderKubernetes(render) });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        gatewayApiRefused.push(`${renderCommand({ ...render, yaml: '' })}: ${error.message.split('\n')[0]}`);
      }
    }
  }
  return { gatewayApi, gatewayApiRefused };
}

/** The Kubernetes YAML files of an environment in a dist/ folder, in apply order. */
export function kubernetesFiles(dist: string, env: string): string[] {
  const dir = path.join(dist, 'cdk8s', env);
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => path.join(dir, f))
    : [];
}

/** The stacks in a dist/ folder: id and Terraform JSON file. */
export function terraformStacks(dist: string): { id: string; file: string }[] {
  const dir = path.join(dist, 'cdktf', 'stacks');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .sort()
    .map((id) => ({ id, file: path.join(dir, id, 'cdk.tf.json') }))
    .filter((s) => fs.existsSync(s.file));
}

/** The mesh stack of an environment, if it has one. */
export function meshStackId(env: Environment): string | undefined {
  return stackIds(env).mesh;
}

/** Every object of a YAML stream or file, parsed (empty documents left out). */
export function parseObjects(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((o): o is Manifest => o !== null && typeof o === 'object');
}

export const objectId = (o: Manifest) =>
  `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

/** An environment's objects as its charts write them, before the injection pass (with the same sync waves). */
export function uninjectedYaml(env: Environment): string {
  const app = buildKubernetesApp(env);
  const manifests = app.charts.flatMap((chart) => withSyncWaves(chart.toJson() as Manifest[]));
  return manifests.map((m) => stringify(m)).join('---\n');
}
