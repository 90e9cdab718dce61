import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stackIds, synthesizeTerraform } from '../../cdktf/terraform-app';
import type { EnvironmentInput } from '../../config';
import { testEnvironments, defaultEnvironment } from '../helpers/environments';
import { synthesizeStacks } from '../helpers/terraform';

const env = (change: (e: EnvironmentInput) => void) =>
  defaultEnvironment((e) => {
    change(e);
    return e;
  });

test('stack ids: a gke and a mesh stack per environment, and no mesh stack with the GKE add-on', () => {
  const [defaults, tutorial] = testEnvironments();
  expect(stackIds(defaults)).toEqual({ gke: 'default-gke', mesh: 'default-mesh' });
  expect(stackIds(tutorial)).toEqual({ gke: 'tutorial-gke' });
  expect(stackIds(env((e) => (e.mesh = { mode: 'cloud-service-mesh' })))).toEqual({
    gke: 'default-gke',
    mesh: 'default-mesh',
  });
});

test("the mesh stack's remote state is the file the gke stack's local backend writes, from each working folder", () => {
  const synth = synthesizeStacks([defaultEnvironment()]);
  const { workingDirectory: gkeDir } = synth.manifest.stacks['default-gke'];
  const { workingDirectory: meshDir } = synth.manifest.stacks['default-mesh'];
  const written = path.resolve(synth.outdir, gkeDir, synth.json('default-gke').terraform.backend.local.path);
  const remote = synth.json('default-mesh').data!.terraform_remote_state['cross-stack-reference-input-default-gke'];
  expect(remote).toMatchObject({ backend: 'local', workspace: '${terraform.workspace}' });
  expect(path.resolve(synth.outdir, meshDir, remote.config.path)).toBe(written);
  // ...which is terraform.tfstate.d/ at the project root, dist/cdktf being two levels below it.
  expect(path.relative(path.resolve(synth.outdir, '..', '..'), written)).toBe(
    path.join('terraform.tfstate.d', 'default-gke.tfstate'),
  );
});

test('a GCS backend keeps each stack under the prefix, and the mesh stack reads the gke state from there', () => {
  const synth = synthesizeStacks([env((e) => (e.state = { backend: 'gcs', bucket: 'team-tf-state', prefix: 'mesh' }))]);
  expect(synth.json('default-gke').terraform.backend).toEqual({
    gcs: { bucket: 'team-tf-state', prefix: 'mesh/default-gke' },
  });
  expect(synth.json('default-mesh').terraform.backend).toEqual({
    gcs: { bucket: 'team-tf-state', prefix: 'mesh/default-mesh' },
  });
  expect(
    synth.json('default-mesh').data!.terraform_remote_state['cross-stack-reference-input-default-gke'],
  ).toMatchObject({
    backend: 'gcs',
    config: { bucket: 'team-tf-state', prefix: 'mesh/default-gke' },
  });
});

describe('policy at synth time', () => {
  test('the configured environments fail no check without a waiver', () => {
    const { warnings } = synthesizeStacks(testEnvironments());
    expect([...warnings.values()].flat().filter((w) => w.startsWith('policy'))).toEqual([]);
  });

  test('a public authorized network fails Trivy AVD-GCP-0053 unless waived', () => {
    const publicNetwork = (e: EnvironmentInput) =>
      (e.cluster.masterAuthorizedNetworks = [{ cidrBlock: '203.0.113.7/32', displayName: 'my laptop' }]);
    const { warnings } = synthesizeStacks([env(publicNetwork)]);
    expect(warnings.get('default')).toEqual([
      expect.stringMatching(
        /^policy check AVD-GCP-0053 \(GKE Control Plane should not be publicly accessible\) fails for default-gke\/google_container_cluster\.gke_Cluster_D5F41316: fix the configuration, or add a waiver/,
      ),
    ]);
    const waived = synthesizeStacks([
      env((e) => {
        publicNetwork(e);
        e.policy = {
          waivers: [
            { id: 'CKV_GCP_12', reason: 'Dataplane V2 enforces NetworkPolicy instead of Calico.' },
            { id: 'CKV_GCP_65', reason: 'No Google Workspace domain for Google Groups for RBAC.' },
            { id: 'AVD-GCP-0053', reason: 'kubectl from one laptop, until the team VPN exists.' },
          ],
        };
      }),
    ]);
    expect(waived.warnings.get('default')).toEqual([]);
  });

  test('a waiver whose check passes is reported, so that it can go', () => {
    const { warnings } = synthesizeStacks([
      env((e) => (e.cluster.rbacSecurityGroup = 'gke-security-groups@example.com')),
    ]);
    expect(warnings.get('default')).toContainEqual(
      'policy waiver CKV_GCP_65 waives a check that passes everywhere: remove it from policy.waivers',
    );
  });

  test('a waiver naming an unknown check stops the synth before anything is written', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-waiver-'));
    const bad = env(
      (e) => (e.policy = { waivers: [{ id: 'CKV_GCP_999', reason: 'a check that does not exist here' }] }),
    );
    expect(() => synthesizeTerraform([bad], outdir)).toThrow(
      /environment "default": policy\.waivers\.0\.id = "CKV_GCP_999": names no check this project runs\. The checks are: CKV_GCP_1, CKV_GCP_7, .*AVD-GCP-0064$/,
    );
    expect(fs.readdirSync(outdir)).toEqual([]);
  });
});

test('loads the google-beta cluster module (large) only for an environment that uses the add-on', () => {
  // Node's require loads it, for this worker's test files: taken out of its cache, as in a process that has not
  // loaded it yet, and put back after
  const id = require.resolve('@cdktf/provider-google-beta/lib/google-container-cluster');
  const loaded = require.cache[id];
  delete require.cache[id];
  try {
    synthesizeStacks([defaultEnvironment()]);
    expect(id in require.cache).toBe(false);
    synthesizeStacks(testEnvironments());
    expect(id in require.cache).toBe(true);
  } finally {
    if (loaded) require.cache[id] = loaded;
  }
});
