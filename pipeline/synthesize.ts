import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesizeArgoCd } from '../cdk8s/argocd/argocd-app';
import { synthesizeKubernetes, writeKubernetes } from '../cdk8s/kubernetes-app';
import { stackIds, synthesizeTerraform, type TerraformSynthesis } from '../cdktf/terraform-app';
import type { Environment } from '../config';
import { meshDiagram } from '../review/mesh-diagram';
import { mergeTerraformManifest } from '../cdktf/terraform-app';
import './binary-version-once';
import { replaceDirectory } from './publish';
import { yamlStream } from '../kube/yaml-writer';

/** What one environment's synthesis wrote. */
export interface EnvironmentOutput {
  readonly name: string;
  /** Terraform stack ids, in deploy order. */
  readonly stacks: string[];
  /** Kubernetes YAML files (relative to the output folder) with their object counts by kind. */
  readonly charts: { readonly file: string; readonly kinds: Record<string, number> }[];
  /** The Argo CD Application that deploys the environment's Kubernetes folder (relative to the output folder). */
  readonly application: string;
  /** The Mermaid diagram of the environment's mesh (relative to the output folder). */
  readonly diagram: string;
  /** Things a reviewer should know that do not stop the synth (a deprecated platform feature, an analyzer warning). */
  readonly warnings: string[];
}

/** A failure during synthesis, saying which app of which environment failed. */
export class SynthesisError extends Error {
  constructor(where: string, cause: unknown) {
    super(`${where}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'SynthesisError';
  }
}

/**
 * Synthesizes both apps of every environment into `outdir`:
 * Terraform into `cdktf/` (one CDKTF app, stacks named `<env>-<stack>`) and Kubernetes YAML into `cdk8s/<env>/`;
 * then, from the Kubernetes objects, the Argo CD Application into `argocd/<env>.yaml` and the mesh diagram into
 * `diagrams/<env>.md`.
 */
export function synthesize(environments: readonly Environment[], outdir: string): EnvironmentOutput[] {
  let terraform: TerraformSynthesis;
  try {
    terraform = synthesizeTerraform(environments, path.join(outdir, 'cdktf'));
  } catch (error) {
    throw new SynthesisError('cdktf app', error);
  }
  return environments.map((env) => {
    try {
      const warnings: string[] = [];
      const charts = synthesizeKubernetes(env, warnings);
      writeKubernetes(env, charts, path.join(outdir, 'cdk8s'));
      const application = path.posix.join('argocd', `${env.name}.yaml`);
      writeFile(path.join(outdir, application), yamlStream(synthesizeArgoCd(env)));
      const diagram = path.posix.join('diagrams', `${env.name}.md`);
      writeFile(path.join(outdir, diagram), meshDiagram(env, charts));
      return {
        name: env.name,
        stacks: Object.values(stackIds(env)),
        charts: charts.map((chart) => ({
          file: path.posix.join('cdk8s', env.name, chart.file),
          kinds: countKinds(chart.manifests),
        })),
        application,
        diagram,
        warnings: [...(terraform.warnings.get(env.name) ?? []), ...warnings],
      };
    } catch (error) {
      throw new SynthesisError(`cdk8s app of environment "${env.name}"`, error);
    }
  });
}

/**
 * Synthesizes everything into `dist`, replacing it only if every step succeeds (pipeline/publish.ts); what could not
 * be cleaned up afterwards is appended to `warnings`.
 */
export function synthesizeToDist(
  environments: readonly Environment[],
  dist: string,
  warnings: string[] = [],
): EnvironmentOutput[] {
  const { result, warnings: leftovers } = replaceDirectory(dist, (staging) => synthesize(environments, staging));
  warnings.push(...leftovers);
  return result;
}

/**
 * Synthesizes one environment into `dist`, keeping every other environment's output as it is: its Terraform stacks
 * (and their entries in cdktf's manifest.json), Kubernetes folder, Argo CD Application and diagram are replaced,
 * through the same staging and swap as a whole synth.
 */
export function synthesizeEnvironmentToDist(
  env: Environment,
  dist: string,
  warnings: string[] = [],
): EnvironmentOutput {
  const { result, warnings: leftovers } = replaceDirectory(dist, (staging) => {
    if (fs.existsSync(dist)) fs.cpSync(dist, staging, { recursive: true });
    const fresh = path.join(staging, `.synth-${env.name}`);
    fs.mkdirSync(fresh);
    const [output] = synthesize([env], fresh);
    const oldStacks = [`${env.name}-gke`, `${env.name}-mesh`];
    const parts = [path.join('cdk8s', env.name), output.application, output.diagram];
    for (const part of [...parts, ...oldStacks.map((id) => path.join('cdktf', 'stacks', id))]) {
      fs.rmSync(path.join(staging, part), { recursive: true, force: true });
    }
    for (const part of [...parts, ...output.stacks.map((id) => path.join('cdktf', 'stacks', id))]) {
      fs.mkdirSync(path.dirname(path.join(staging, part)), { recursive: true });
      fs.renameSync(path.join(fresh, part), path.join(staging, part));
    }
    mergeTerraformManifest(
      path.join(staging, 'cdktf', 'manifest.json'),
      path.join(fresh, 'cdktf', 'manifest.json'),
      oldStacks,
    );
    fs.rmSync(fresh, { recursive: true, force: true });
    return output;
  });
  warnings.push(...leftovers);
  return result;
}

function writeFile(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

function countKinds(manifests: readonly { kind: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { kind } of manifests) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}
