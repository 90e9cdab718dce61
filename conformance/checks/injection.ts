import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ISTIO_RELEASE } from '../../inject/istio-defaults';
import { injectManifests } from '../../inject/manifest-stream';
import { SidecarInjector } from '../../inject/sidecar-injector';
import { parseManifests } from '../../kube/manifest-reader';
import type { Manifest } from '../../kube/object';
import { fieldChanges, formatValue } from '../../review/field-changes';
import { helmReleases, type HelmRelease } from '../../cdktf/helm-releases';
import { renderRelease } from '../charts';
import { notRun, resultOf, type CheckResult, type Toolbox } from '../check';
import { answerOf, run } from '../process';
import { kubernetesFiles, meshStackId, objectId, parseObjects, uninjectedYaml, type Subjects } from '../subjects';

const TITLE =
  "Injection: our injected workloads against `istioctl kube-inject` with istiod's own template, values and mesh config";

/** The injector's inputs as istiod has them: files for --injectConfigFile, --valuesFile and --meshConfigFile. */
interface InjectorInputs {
  readonly config: string;
  readonly values: string;
  readonly mesh: string;
  /** istiod's ENABLE_NATIVE_SIDECARS, as kube-inject without a cluster must be told it (see nativeSidecarsOf). */
  readonly nativeSidecars: string;
}

/**
 * Whether istiod writes native sidecars. Istio 1.30's ENABLE_NATIVE_SIDECARS defaults to `auto`: the webhook then
 * writes them when every node's kubelet is 1.33 or later (pkg/kube/inject/webhook.go, DetectNativeSidecar), which every
 * GKE release channel's nodes are today. `istioctl kube-inject` without a cluster cannot look at nodes and writes
 * classic sidecars unless the variable is `true`; so it is given what istiod decides: the chart's
 * `pilot.env.ENABLE_NATIVE_SIDECARS` if the release sets it, else `true` (auto, on 1.33+ nodes).
 */
function nativeSidecarsOf(release: HelmRelease): string {
  for (const values of release.values ?? []) {
    const set = (parse(values) as { pilot?: { env?: Record<string, unknown> } } | null)?.pilot?.env
      ?.ENABLE_NATIVE_SIDECARS;
    if (set !== undefined) return String(set) === 'auto' ? 'true' : String(set);
  }
  return 'true';
}

/**
 * Renders the istiod chart with a release's values and takes what the injector reads from its ConfigMaps:
 * `istio-sidecar-injector[-<rev>]` (data.config, data.values) and `istio[-<rev>]` (data.mesh).
 */
function injectorInputs(tools: Toolbox, release: HelmRelease, label: string): InjectorInputs | string {
  const { objects, error } = renderRelease(tools, release);
  if (error) return error;
  const configMap = (prefix: string) =>
    objects.find(
      (o) => o.kind === 'ConfigMap' && (o.metadata.name === prefix || o.metadata.name?.startsWith(`${prefix}-`)),
    ) as (Manifest & { data?: Record<string, string> }) | undefined;
  const injector = configMap('istio-sidecar-injector');
  const mesh = configMap('istio');
  if (!injector?.data?.config || !injector.data.values || !mesh?.data?.mesh) {
    return `the istiod chart rendered no istio-sidecar-injector and istio ConfigMaps for ${label}`;
  }
  const dir = fs.mkdtempSync(path.join(tools.work, `injector-${label}-`));
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  return {
    config: write('config.yaml', injector.data.config),
    values: write('values.json', injector.data.values),
    mesh: write('mesh.yaml', mesh.data.mesh),
    nativeSidecars: nativeSidecarsOf(release),
  };
}

/** `istioctl kube-inject` on a file with the given injector inputs: its objects, or its error. */
function kubeInject(
  istioctl: string,
  file: string,
  inputs: InjectorInputs,
  revision: string | undefined,
): { objects: Manifest[]; error?: string } {
  // --revision always: without it istioctl asks a cluster for the default revision (and waits for one forever).
  const args = [
    'kube-inject',
    '-f',
    file,
    '--injectConfigFile',
    inputs.config,
    '--valuesFile',
    inputs.values,
    '--meshConfigFile',
    inputs.mesh,
  ];
  const result = run(istioctl, [...args, '--revision', revision ?? 'default'], {
    env: { ENABLE_NATIVE_SIDECARS: inputs.nativeSidecars },
  });
  if (result.code !== 0) return { objects: [], error: answerOf(result) };
  return { objects: parseObjects(result.stdout) };
}

/**
 * Fields Go writes for a zero value and YAML from TypeScript leaves out (`creationTimestamp: null`, `status: {}`,
 * `resources: {}`, `strategy: {}`): the API server reads an absent field and these alike, so both sides drop them
 * before comparing. Nothing else is normalized.
 */
function withoutZeroValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutZeroValues);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const cleaned = withoutZeroValues(v);
    if (cleaned === null) continue;
    if (typeof cleaned === 'object' && !Array.isArray(cleaned) && Object.keys(cleaned).length === 0) continue;
    out[key] = cleaned;
  }
  return out;
}

const isWorkload = (o: Manifest) =>
  o.kind === 'Pod' || (o.spec as { template?: unknown } | undefined)?.template !== undefined || o.kind === 'CronJob';

/** Every field in which our objects differ from istioctl's, workload by workload, named by object and path. */
export function compareInjected(
  ours: readonly Manifest[],
  theirs: readonly Manifest[],
  where: string,
): { compared: number; differences: string[] } {
  const byId = new Map(ours.map((o) => [objectId(o), o]));
  const differences: string[] = [];
  let compared = 0;
  for (const real of theirs.filter(isWorkload)) {
    const id = objectId(real);
    const mine = byId.get(id);
    compared++;
    if (!mine) {
      differences.push(`${where}: ${id}: istioctl wrote it, our output has no such object`);
      continue;
    }
    for (const change of fieldChanges(withoutZeroValues(mine), withoutZeroValues(real))) {
      differences.push(
        `${where}: ${id}: ${change.path || '(whole)'}: ours ${formatValue(change.before)}, istiod's ${formatValue(change.after)}`,
      );
    }
  }
  return { compared, differences };
}

export function injectionCheck(subjects: Subjects, tools: Toolbox): CheckResult {
  const istioctl = tools.istioctl.path;
  if (!istioctl) return notRun('injection', TITLE, 'no istioctl could be had (see Tools)');
  if (!tools.helm.path || !tools.charts.path)
    return notRun('injection', TITLE, "Helm or Istio's charts could not be had (see Tools)");
  const failures: string[] = [];
  const notes: string[] = [];
  const figures: string[] = [];
  for (const env of subjects.environments) {
    if (env.injection.mode !== 'manual') {
      notes.push(
        `environment "${env.name}": injection ${env.injection.mode}, nothing injected at synth time to compare`,
      );
      continue;
    }
    const stack = meshStackId(env);
    const stackFile = stack && path.join(subjects.dist, 'cdktf', 'stacks', stack, 'cdk.tf.json');
    const istiod =
      stackFile && fs.existsSync(stackFile)
        ? // with several revisions, the istiod behind the namespace's tag, whose sidecars the synth wrote
          helmReleases(stackFile)
            .filter((r) => r.chart === 'istiod')
            .find((r) => r.name === (env.istio.revision ? `istiod-${env.istio.revision}` : 'istiod'))
        : undefined;
    if (!istiod) {
      failures.push(
        `environment "${env.name}" injects at synth time, but its mesh stack ${stack ?? '(none)'} installs no istiod chart to compare with`,
      );
      continue;
    }
    const inputs = injectorInputs(tools, istiod, env.name);
    if (typeof inputs === 'string') {
      failures.push(`environment "${env.name}": ${inputs}`);
      continue;
    }
    const plain = path.join(tools.work, `${env.name}-uninjected.yaml`);
    fs.writeFileSync(plain, uninjectedYaml(env));
    const real = kubeInject(istioctl, plain, inputs, env.istio.revision);
    if (real.error) {
      failures.push(`environment "${env.name}": istioctl kube-inject failed: ${real.error}`);
      continue;
    }
    const ours = kubernetesFiles(subjects.dist, env.name).flatMap((f) => parseObjects(fs.readFileSync(f, 'utf8')));
    const { compared, differences } = compareInjected(ours, real.objects, `dist/cdk8s/${env.name}`);
    figures.push(`${env.name}: ${compared} workloads, ${differences.length} differing fields`);
    failures.push(...differences);
  }
  // `npm run kube-inject` without --env models the default values and mesh config of the release its injector
  // reproduces: judged against that release's chart with no values at all.
  const fixtures = subjects.injectFixtures;
  if (fixtures.length > 0) {
    const version = ISTIO_RELEASE;
    const inputs = injectorInputs(
      tools,
      { name: 'istiod', chart: 'istiod', version, namespace: 'istio-system', values: [] },
      'defaults',
    );
    if (typeof inputs === 'string') failures.push(`kube-inject fixtures: ${inputs}`);
    else {
      let compared = 0;
      let differing = 0;
      for (const file of fixtures) {
        const name = path.basename(file);
        const real = kubeInject(istioctl, file, inputs, undefined);
        let ours: Manifest[];
        try {
          const documents = parseManifests(fs.readFileSync(file, 'utf8'), name, {
            expandLists: false,
            requireKind: false,
          });
          ours = parseObjects(injectManifests(documents, new SidecarInjector({})).yaml);
        } catch (error) {
          if (!real.error)
            failures.push(
              `kube-inject ${name}: ours refuses it (${(error as Error).message.split('\n')[0]}), istioctl injects it`,
            );
          continue;
        }
        if (real.error) {
          failures.push(`kube-inject ${name}: istioctl refuses it (${real.error}), ours injects it`);
          continue;
        }
        const result = compareInjected(ours, real.objects, `kube-inject ${name}`);
        compared += result.compared;
        differing += result.differences.length;
        failures.push(...result.differences);
      }
      figures.push(
        `npm run kube-inject over ${fixtures.length} fixture files: ${compared} workloads, ${differing} differing fields`,
      );
    }
  }
  notes.push(
    "istiod's injector inputs are the ConfigMaps `istio-sidecar-injector` (data.config, data.values) and `istio` " +
      '(data.mesh) that `helm template` renders from the istiod chart with exactly the values the mesh stack passes ' +
      "(its helm_release), plus the published chart's global.hub and global.tag. They are given to `istioctl kube-inject " +
      "--injectConfigFile --valuesFile --meshConfigFile`, so the template and values are the chart's, not istioctl's " +
      'built-in ones. Objects are compared as parsed YAML, field by field; only fields holding a Go zero value (null, {}) ' +
      'are dropped on both sides.',
    "Native sidecars: istiod's ENABLE_NATIVE_SIDECARS defaults to `auto`, which writes native sidecars when every " +
      "node's kubelet is 1.33 or later (every GKE channel's today); kube-inject without a cluster cannot see nodes, so " +
      'it runs with ENABLE_NATIVE_SIDECARS=true unless the istiod release sets pilot.env.ENABLE_NATIVE_SIDECARS.',
  );
  return resultOf('injection', TITLE, figures.join('; ') || 'nothing injected at synth time', failures, notes);
}
