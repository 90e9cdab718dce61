import * as path from 'node:path';

/** Where the synthesized Terraform goes, relative to the project root (cdktf.json says the same). */
export const TERRAFORM_OUTDIR = path.join('dist', 'cdktf');

/**
 * Path of a stack's local state file, relative to the folder Terraform runs in (`dist/cdktf/stacks/<stack>`).
 * It points back to `terraform.tfstate.d/` at the project root: relative, so dist/ is the same on every
 * machine, and outside dist/, so state never lands in the committed output.
 */
export function localStatePath(stackId: string): string {
  const stackDir = path.posix.join(TERRAFORM_OUTDIR, 'stacks', stackId);
  const toRoot = stackDir.split('/').map(() => '..').join('/');
  return `${toRoot}/terraform.tfstate.d/${stackId}.tfstate`;
}
