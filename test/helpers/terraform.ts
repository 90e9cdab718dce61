import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesizeTerraform } from '../../cdktf/terraform-app';
import type { Environment } from '../../config';

/** The Terraform of some environments, synthesized as `npm run synth` does, into a temporary folder. */
export interface SynthesizedTerraform {
  readonly outdir: string;
  /** A stack's cdk.tf.json as text, for cdktf's matchers. */
  text(stackId: string): string;
  /** A stack's cdk.tf.json, parsed. */
  json(stackId: string): TerraformStackJson;
  /** cdktf's manifest.json, parsed. */
  readonly manifest: {
    readonly stacks: Record<string, { readonly dependencies: string[]; readonly workingDirectory: string }>;
  };
  /** Warnings by environment name. */
  readonly warnings: ReadonlyMap<string, string[]>;
}

/** Enough of a synthesized stack's shape to navigate it in tests. */
export interface TerraformStackJson {
  readonly resource: Record<string, Record<string, Record<string, any>>>;
  readonly data?: Record<string, Record<string, Record<string, any>>>;
  readonly provider: Record<string, Record<string, any>[]>;
  readonly output?: Record<string, { value: string; description?: string; sensitive?: boolean }>;
  readonly terraform: { backend: Record<string, Record<string, string>>; required_providers: Record<string, unknown> };
}

export function synthesizeStacks(environments: readonly Environment[]): SynthesizedTerraform {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-test-')), 'cdktf');
  fs.mkdirSync(outdir);
  const { warnings } = synthesizeTerraform(environments, outdir);
  const text = (stackId: string) => fs.readFileSync(path.join(outdir, 'stacks', stackId, 'cdk.tf.json'), 'utf8');
  return {
    outdir,
    text,
    json: (stackId) => JSON.parse(text(stackId)) as TerraformStackJson,
    manifest: JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')),
    warnings,
  };
}

/** The only resource of a type in a stack (fails the test when there are none or several). */
export function onlyResource(stack: TerraformStackJson, type: string): Record<string, any> {
  const resources = Object.values(stack.resource[type] ?? {});
  if (resources.length !== 1) throw new Error(`expected one ${type}, found ${resources.length}`);
  return resources[0];
}
