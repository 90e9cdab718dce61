import { synthesizeKubernetes } from '../cdk8s/kubernetes-app';
import {
  applySetOverrides,
  ConfigError,
  ENVIRONMENTS,
  loadEnvironments,
  parseSetOverride,
  TRAFFIC_PRESET_NAMES,
  type EnvironmentInput,
  type TrafficPresetName,
} from '../config';
import { yamlStream } from '../kube/yaml-writer';

export interface RenderOptions {
  /** Name of the environment. */
  readonly environment: string;
  /** Traffic preset to use instead of the environment's own. @default - the environment's `traffic.preset` */
  readonly preset?: string;
  /**
   * `PATH=VALUE` overrides of the environment's fields, applied in order before the preset (see config/set-path.ts).
   * @default []
   */
  readonly set?: readonly string[];
}

/**
 * An environment's whole Kubernetes output, with a traffic preset of choice, as one YAML stream: what `npm run synth`
 * would write to `dist/cdk8s/<environment>/`, through the same pipeline, but kept in memory.
 *
 * @throws ConfigError for an unknown environment or preset (listing the valid ones), a bad `--set` (naming its path)
 *   or an invalid configuration
 */
export function renderKubernetes(
  { environment, preset, set = [] }: RenderOptions,
  inputs: readonly EnvironmentInput[] = ENVIRONMENTS,
  variables: NodeJS.ProcessEnv = process.env,
): string {
  const named = inputs.find((e) => e.name === environment);
  if (!named) {
    throw new ConfigError(
      `unknown environment "${environment}"; environments: ${inputs.map((e) => e.name).join(', ')}`,
    );
  }
  if (preset !== undefined && !(TRAFFIC_PRESET_NAMES as readonly string[]).includes(preset)) {
    throw new ConfigError(`unknown traffic preset "${preset}"; presets: ${TRAFFIC_PRESET_NAMES.join(', ')}`);
  }
  const input = applySetOverrides(named, set.map(parseSetOverride));
  const chosen =
    preset === undefined ? input : { ...input, traffic: { ...input.traffic, preset: preset as TrafficPresetName } };
  const [env] = loadEnvironments([chosen], variables);
  const manifests = synthesizeKubernetes(env).flatMap((chart) => chart.manifests);
  return `# hello-istio: environment "${env.name}", traffic preset "${env.traffic.preset}"\n${yamlStream(manifests)}`;
}
