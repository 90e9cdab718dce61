import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnnotationMetadataEntryType, App } from 'cdktf';
import type { Environment } from '../config';
import './token-stack-traces';
import { GkeStack } from './gke-stack';
import { MeshStack } from './mesh-stack';
import { assertKnownWaivers, checkPolicy, policyWarnings } from './policy/policy-report';
import { stackResources, type TerraformJson } from './policy/terraform-config';

/** The Terraform stacks of one environment, by stack id, in deploy order. */
export interface EnvironmentStacks {
  /** The cluster (and, with the GKE add-on, its control plane). */
  readonly gke: string;
  /** The mesh control plane and ingress gateway; absent with the GKE add-on, which is part of the cluster. */
  readonly mesh?: string;
}

/** The Terraform stacks of one environment, by stack id. */
export function stackIds(env: Environment): EnvironmentStacks {
  const gke = `${env.name}-gke`;
  return env.mesh.mode === 'gke-istio-addon' ? { gke } : { gke, mesh: `${env.name}-mesh` };
}

/** What synthesizing the Terraform of every environment produced besides the files. */
export interface TerraformSynthesis {
  /**
   * Warnings by environment name: its stacks' warnings (as `cdktf synth` prints them), then policy checks that fail
   * without a waiver and waivers that waive nothing.
   */
  readonly warnings: ReadonlyMap<string, string[]>;
}

/**
 * Builds and synthesizes the CDKTF app of every environment into `outdir` (which must not exist yet, or be empty),
 * then runs the policy checks over what it wrote.
 *
 * @throws Error when a policy waiver names no known check, before anything is written
 */
export function synthesizeTerraform(environments: readonly Environment[], outdir: string): TerraformSynthesis {
  for (const env of environments) assertKnownWaivers(env.name, env.policy.waivers);
  // No stack traces in annotations: they hold absolute paths, and the manifest must be the same on every machine.
  const app = new App({ outdir, stackTraces: false });
  for (const env of environments) {
    const ids = stackIds(env);
    const gke = new GkeStack(app, ids.gke, { env });
    if (ids.mesh) new MeshStack(app, ids.mesh, { env, gke });
  }
  app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as Manifest;
  return {
    warnings: new Map(
      environments.map((env) => {
        const stacks = Object.values(stackIds(env)).map((id) => manifest.stacks[id]);
        const annotations = stacks.flatMap((stack) =>
          stack.annotations.filter((a) => a.level === AnnotationMetadataEntryType.WARN).map((a) => a.message),
        );
        const report = checkPolicy(
          stacks.map((stack) => stackResources(stack.name, readStack(outdir, stack.synthesizedStackPath))),
          env.policy.waivers,
        );
        return [env.name, [...annotations, ...policyWarnings(report)]];
      }),
    ),
  };
}

/** The parts of cdktf's manifest.json read here. */
interface Manifest {
  readonly stacks: Record<
    string,
    {
      readonly name: string;
      readonly synthesizedStackPath: string;
      readonly annotations: readonly { readonly level: string; readonly message: string }[];
    }
  >;
}

function readStack(outdir: string, file: string): TerraformJson {
  return JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf8')) as TerraformJson;
}

/**
 * Replaces, in the manifest.json at `into`, the stacks `replaced` with the stacks of the manifest at `from`, written
 * as cdktf writes it (keys sorted, by the library cdktf uses), so that a partial synth writes what a whole one would.
 */
export function mergeTerraformManifest(into: string, from: string, replaced: readonly string[]): void {
  const fresh = JSON.parse(fs.readFileSync(from, 'utf8')) as Manifest;
  const merged = (fs.existsSync(into) ? JSON.parse(fs.readFileSync(into, 'utf8')) : fresh) as Manifest;
  const stacks = Object.fromEntries(Object.entries(merged.stacks).filter(([id]) => !replaced.includes(id)));

  const stableStringify: (
    value: unknown,
    options: { space: number },
  ) => string = require('cdktf/node_modules/json-stable-stringify');
  fs.writeFileSync(into, stableStringify({ ...merged, stacks: { ...stacks, ...fresh.stacks } }, { space: 2 }));
}
