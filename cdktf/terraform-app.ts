import { App } from 'cdktf';
import type { Environment } from '../config';
import { GkeStack } from './gke-stack';

/** The Terraform stacks of one environment, by stack id. */
export function stackIds(env: Environment): { gke: string } {
  return { gke: `${env.name}-gke` };
}

/** Builds and synthesizes the CDKTF app of every environment into `outdir` (which must not exist yet, or be empty). */
export function synthesizeTerraform(environments: readonly Environment[], outdir: string): void {
  const app = new App({ outdir });
  for (const env of environments) {
    new GkeStack(app, stackIds(env).gke, { env });
  }
  app.synth();
}
