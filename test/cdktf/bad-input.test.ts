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
  return {
    run,
    unchanged: () => expect(readTree(dist)).toEqual(before),
    siblings: () => fs.readdirSync(path.dirname(dist)),
  };
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
    'hub on a Google-hosted Istio host',
    (e) => (e.istio.hub = 'registry.istio.io/release'),
    /istio\.hub = "registry\.istio\.io\/release": is on registry\.istio\.io, which Istio takes offline from 2026-12-08 15:00 UTC; use docker\.io\/istio \(Istio's images on Docker Hub\) or a mirror of your own/,
  ],
  [
    'chart repository Istio does not publish to',
    (e) => (e.istio.chartRepository = 'https://charts.example.com/istio' as never),
    /istio\.chartRepository = "https:\/\/charts\.example\.com\/istio": must be one of Istio's chart repositories: https:\/\/blob\.istio\.io\/istio-release\/charts, oci:\/\/ghcr\.io\/istio\/release\/charts/,
  ],
  [
    'Istio minor this project does not support',
    (e) => (e.istio.version = '1.28.4'),
    /istio\.version = "1\.28\.4": must be a released patch of a supported minor \(Istio 1\.28 is not supported: the supported minors are 1\.29, 1\.30, 1\.31\): 1\.29\.0, .*1\.31\.1/,
  ],
  [
    'a revision on an unsupported release',
    (e) => (e.istio = { revisions: [{ name: 'old', version: '1.27.1' }], tags: { stable: 'old' }, tag: 'stable' }),
    /istio\.revisions\[old\]\.version = "1\.27\.1": must be a released patch of a supported minor/,
  ],
  [
    'a revision named twice',
    (e) =>
      (e.istio = {
        revisions: [
          { name: 'a', version: '1.29.6' },
          { name: 'a', version: '1.30.5' },
        ],
        tags: { stable: 'a' },
        tag: 'stable',
      }),
    /istio\.revisions\[a\]\.name = "a": names revision a a second time: each revision once \(revisions: a, a\)/,
  ],
  [
    'a tag pointing at no revision',
    (e) =>
      (e.istio = { revisions: [{ name: 'a', version: '1.29.6' }], tags: { stable: 'a', canary: 'b' }, tag: 'stable' }),
    /istio\.tags\.canary = "b": points at no revision: the revisions are a/,
  ],
  [
    'the namespace on a missing tag',
    (e) => (e.istio = { revisions: [{ name: 'a', version: '1.29.6' }], tags: { stable: 'a' }, tag: 'canary' }),
    /istio\.tag = "canary": is no tag of istio\.tags: the tags are stable/,
  ],
  [
    'proxy image on a Google-hosted Istio host',
    (e) => (e.injection = { proxyImage: 'gcr.io/istio-release/proxyv2:1.30.5' }),
    /injection\.proxyImage = "gcr\.io\/istio-release\/proxyv2:1\.30\.5": is on gcr\.io\/istio-release/,
  ],
  [
    'ambient on the GKE add-on',
    (e) => (e.mesh = { mode: 'gke-istio-addon', dataplane: 'ambient' }),
    /mesh\.dataplane = "ambient": must be sidecar with mesh\.mode gke-istio-addon: the add-on ran Istio 1\.6, years before ambient mode/,
  ],
  [
    'ambient on Cloud Service Mesh',
    (e) => (e.mesh = { mode: 'cloud-service-mesh', dataplane: 'ambient' }),
    /mesh\.dataplane = "ambient": must be sidecar with mesh\.mode cloud-service-mesh: Google provisions the managed data plane/,
  ],
  [
    'a namespace both ambient and injected',
    (e) => {
      e.mesh = { dataplane: 'ambient' };
      e.injection = { mode: 'auto' };
    },
    /injection\.mode = "auto": must be off \(or left out\) with mesh\.dataplane ambient: namespace "bookinfo" would be both in ambient mode and injected/,
  ],
  [
    'ambient with ISTIO_MUTUAL DestinationRules, which waypoints ignore',
    (e) => {
      e.mesh = { dataplane: 'ambient' };
      e.security = { mtls: { destinationRuleTls: 'istio-mutual' } };
    },
    /security\.mtls\.destinationRuleTls = "istio-mutual": must be auto \(or left out\) with mesh\.dataplane ambient: a waypoint ignores/,
  ],
  [
    'ambient without the CNI node agent',
    (e) => {
      e.mesh = { dataplane: 'ambient' };
      e.injection = { cni: false };
    },
    /injection\.cni = false: must be true \(or left out\) with mesh\.dataplane ambient/,
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
