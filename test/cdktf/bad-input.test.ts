import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadEnvironments, type EnvironmentInput } from '../../config';
import { defaultInput } from '../helpers/environments';
import { synthesizeToDist } from '../../pipeline/synthesize';
import { readTree } from '../helpers/project-copy';

/** The synth that `npm run synth` runs, on one changed default environment, into a dist/ that already has content. */
function synthWith(change: (e: EnvironmentInput) => void) {
  const dist = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bad-input-')), 'dist');
  fs.mkdirSync(path.join(dist, 'cdktf'), { recursive: true });
  fs.writeFileSync(path.join(dist, 'cdktf', 'manifest.json'), '{"before": true}\n');
  const before = readTree(dist);
  const input = defaultInput();
  change(input);
  const run = () => synthesizeToDist(loadEnvironments([input], {}), dist);
  return { run, unchanged: () => expect(readTree(dist)).toEqual(before), siblings: () => fs.readdirSync(path.dirname(dist)) };
}

test.each<[string, (e: EnvironmentInput) => void, RegExp]>([
  [
    'basic auth requested',
    (e) => (e.cluster.enableBasicAuth = true),
    /cluster\.enableBasicAuth = true: basic auth .* removed from GKE in 1\.19 and from the Terraform Google provider in 4\.0.*gcloud container clusters get-credentials.*Workload Identity/,
  ],
  ['node count 0', (e) => (e.cluster.nodeCount = 0), /cluster\.nodeCount = 0: must be from 1 to 1000/],
  [
    'zone malformed',
    (e) => (e.cluster.location = 'us-central1f'),
    /cluster\.location = "us-central1f": must be a GCP zone such as us-central1-f or a region such as us-central1/,
  ],
  [
    'unknown mesh mode',
    (e) => (e.mesh = { mode: 'linkerd' as never }),
    /mesh\.mode = "linkerd": must be one of istio-helm, gke-istio-addon, cloud-service-mesh/,
  ],
  [
    'waiver naming an unknown check',
    (e) => (e.policy = { waivers: [{ id: 'CKV_GCP_999', reason: 'waives a check that does not exist' }] }),
    /cdktf app: environment "default": policy\.waivers\.0\.id = "CKV_GCP_999": names no check this project runs/,
  ],
])('%s: a clear error, and dist/ is left as it was', (_name, change, message) => {
  const { run, unchanged, siblings } = synthWith(change);
  expect(run).toThrow(message);
  unchanged();
  expect(siblings()).toEqual(['dist']);
});
