import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthSummary } from '../../pipeline/summary';
import { synthesize, type EnvironmentOutput } from '../../pipeline/synthesize';
import { testEnvironments } from '../helpers/environments';

const staging: EnvironmentOutput = {
  name: 'staging',
  stacks: ['staging-gke', 'staging-mesh'],
  charts: [
    { file: 'cdk8s/staging/0000-namespace.k8s.yaml', kinds: { Namespace: 1 } },
    { file: 'cdk8s/staging/0001-bookinfo.k8s.yaml', kinds: { ServiceAccount: 4, Service: 4, Deployment: 6 } },
  ],
  application: 'argocd/staging.yaml',
  diagram: 'diagrams/staging.md',
  warnings: ['mesh.mode gke-istio-addon: GKE no longer accepts the Istio add-on'],
};

test('per environment: stacks, objects by kind per file and in total, where everything is, then warnings', () => {
  expect(synthSummary([staging])).toBe(
    [
      'Synthesized 1 environment into dist/:',
      '',
      'staging',
      '  Terraform   staging-gke, staging-mesh (deploy in this order) in dist/cdktf/stacks/',
      '  Kubernetes  15 objects in dist/cdk8s/staging/: 1 Namespace, 4 ServiceAccount, 4 Service, 6 Deployment',
      '                0000-namespace.k8s.yaml  1 Namespace',
      '                0001-bookinfo.k8s.yaml   4 ServiceAccount, 4 Service, 6 Deployment',
      '  Argo CD     dist/argocd/staging.yaml',
      '  Diagram     dist/diagrams/staging.md',
      '  warning: mesh.mode gke-istio-addon: GKE no longer accepts the Istio add-on',
      '',
    ].join('\n'),
  );
});

test('every path the summary of a real synth names exists', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'summary-'));
  const summary = synthSummary(synthesize(testEnvironments(), outdir), outdir);
  // Paths the summary names: absolute paths inside the output folder (warnings may quote other text with slashes).
  const paths = [...summary.matchAll(/(?:^|\s)(\/\S+)/gm)]
    .map((m) => m[1].replace(/[:,]$/, ''))
    .filter((p) => p.startsWith(outdir));
  expect(paths.length).toBeGreaterThanOrEqual(4 * testEnvironments().length);
  for (const p of paths) expect({ path: p, exists: fs.existsSync(p) }).toEqual({ path: p, exists: true });
  for (const env of testEnvironments()) expect(summary).toContain(`\n${env.name}\n`);
});
