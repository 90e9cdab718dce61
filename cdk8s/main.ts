// Entry point for `cdk8s synth` (see cdk8s.yaml). `npm run synth` runs the same code for both apps at once.
import { loadEnvironments } from '../config';
import { KUBERNETES_OUTDIR, synthesizeKubernetes, writeKubernetes } from './kubernetes-app';

const outdir = process.env.CDK8S_OUTDIR ?? KUBERNETES_OUTDIR;
for (const env of loadEnvironments()) {
  const warnings: string[] = [];
  writeKubernetes(env, synthesizeKubernetes(env, warnings), outdir);
  for (const warning of warnings) process.stderr.write(`warning: ${env.name}: ${warning}\n`);
}
