import * as path from 'node:path';
import { GcsBackend, LocalBackend, type TerraformStack } from 'cdktf';
import type { StateConfig } from '../config';

/** Where the synthesized Terraform goes, relative to the project root (cdktf.json says the same). */
export const TERRAFORM_OUTDIR = path.join('dist', 'cdktf');

/**
 * Path of a stack's local state file, relative to the folder Terraform runs in (`dist/cdktf/stacks/<stack>`).
 * It points back to `terraform.tfstate.d/` at the project root: relative, so dist/ is the same on every
 * machine, and outside dist/, so state never lands in the committed output.
 */
export function localStatePath(stackId: string): string {
  const stackDir = path.posix.join(TERRAFORM_OUTDIR, 'stacks', stackId);
  const toRoot = stackDir
    .split('/')
    .map(() => '..')
    .join('/');
  return `${toRoot}/terraform.tfstate.d/${stackId}.tfstate`;
}

/**
 * Declares where a stack keeps its state. Cross-stack references read the producing stack's state through the same
 * backend, so a consuming stack finds it wherever it is kept.
 */
export function declareBackend(stack: TerraformStack, state: StateConfig): void {
  const stackId = stack.node.id;
  if (state.backend === 'gcs') {
    new GcsBackend(stack, { bucket: state.bucket, prefix: `${state.prefix}/${stackId}` });
  } else {
    new LocalBackend(stack, { path: localStatePath(stackId) });
  }
}
