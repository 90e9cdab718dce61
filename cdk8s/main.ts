// Entry point for `cdk8s synth` (see cdk8s.yaml). `npm run synth` runs the same code for both apps at once.
import { loadEnvironments } from '../config';
import { KUBERNETES_OUTDIR, synthesizeKubernetes, writeKubernetes } from './kubernetes-app';

const outdir = process.env.CDK8S_OUTDIR ?? KUBERNETES_OUTDIR;
for (const env of loadEnvironments()) {
  writeKubernetes(env, synthesizeKubernetes(env), outdir);
}
