import { ConfigError, loadEnvironments, type EnvironmentInput } from '../../config';
import { defaultInput } from '../helpers/environments';

const base = defaultInput();
const load = (change: (e: EnvironmentInput) => void) => {
  const input = structuredClone(base) as EnvironmentInput;
  change(input);
  return () => loadEnvironments([input], {});
};

describe('defaults of the cluster, its state and its policy', () => {
  const [env] = loadEnvironments([base], {});

  test('a hardened cluster that admits no one until told whom', () => {
    expect(env.cluster).toMatchObject({
      diskSizeGb: 50,
      network: { nodes: '10.10.0.0/20', pods: '10.20.0.0/14', services: '10.24.0.0/20', controlPlane: '172.16.0.0/28' },
      masterAuthorizedNetworks: [],
      privateEndpoint: false,
      labels: {},
      deletionProtection: true,
    });
    expect(env.cluster.rbacSecurityGroup).toBeUndefined();
    expect(env.cluster.enableBasicAuth).toBeUndefined();
  });

  test('local state and the default waivers', () => {
    expect(env.state).toEqual({ backend: 'local' });
    expect(env.policy.waivers.map((w) => w.id)).toEqual(['CKV_GCP_12', 'CKV_GCP_65']);
  });

  test('a GCS backend gets a default prefix', () => {
    const [gcs] = loadEnvironments([{ ...base, state: { backend: 'gcs', bucket: 'my-state' } }], {});
    expect(gcs.state).toEqual({ backend: 'gcs', bucket: 'my-state', prefix: 'hello-istio' });
  });

  test("basic auth off, as GKE has it, is accepted: it is what the tutorial's flag can mean today", () => {
    expect(load((e) => (e.cluster.enableBasicAuth = false))).not.toThrow();
  });
});

describe('a bad cluster, mesh, state or policy value stops loading with an error naming it', () => {
  test('basic auth requested: removed in GKE 1.19 and provider 4.0, and what to use instead', () => {
    const run = load((e) => (e.cluster.enableBasicAuth = true));
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/environment "default": cluster\.enableBasicAuth = true: basic auth/);
    expect(run).toThrow(/removed from GKE in 1\.19 and from the Terraform Google provider in 4\.0/);
    expect(run).toThrow(/gcloud container clusters get-credentials/);
    expect(run).toThrow(/gke-gcloud-auth-plugin/);
    expect(run).toThrow(/Workload Identity/);
  });

  test.each<[string, (e: EnvironmentInput) => void, RegExp]>([
    [
      'a malformed CIDR',
      (e) => (e.cluster.network = { pods: '10.20.0.0/33' }),
      /cluster\.network\.pods = "10\.20\.0\.0\/33": must be an IPv4 CIDR block/,
    ],
    [
      'a CIDR with host bits set',
      (e) => (e.cluster.network = { nodes: '10.10.0.1/20' }),
      /cluster\.network\.nodes = "10\.10\.0\.1\/20": must be an IPv4 CIDR block such as 10\.10\.0\.0\/20, with the host bits zero/,
    ],
    [
      'overlapping ranges',
      (e) => (e.cluster.network = { services: '10.21.0.0/20' }),
      /cluster\.network\.services = "10\.21\.0\.0\/20": overlaps pods \(10\.20\.0\.0\/14\)/,
    ],
    [
      'a control plane range that is not a /28',
      (e) => (e.cluster.network = { controlPlane: '172.16.0.0/24' }),
      /cluster\.network\.controlPlane = "172\.16\.0\.0\/24": must be a \/28/,
    ],
    [
      'an authorized network without a name',
      (e) => (e.cluster.masterAuthorizedNetworks = [{ cidrBlock: '10.0.0.0/8', displayName: '' }]),
      /cluster\.masterAuthorizedNetworks\.0\.displayName = "": must say what the range is/,
    ],
    [
      'an RBAC group GKE would not accept',
      (e) => (e.cluster.rbacSecurityGroup = 'admins@example.com'),
      /cluster\.rbacSecurityGroup = "admins@example\.com": must be the group gke-security-groups@<your domain>/,
    ],
    [
      'a label key GCP would not accept',
      (e) => (e.cluster.labels = { Team: 'mesh' }),
      /cluster\.labels\.Team = "Team": must be a GCP label key/,
    ],
    [
      'an unknown state backend',
      (e) => (e.state = { backend: 's3' } as never),
      /state\.backend = \{"backend":"s3"\}: must say which backend keeps the state: \{ backend: 'local' \| 'gcs' \}/,
    ],
    [
      'a malformed state bucket',
      (e) => (e.state = { backend: 'gcs', bucket: 'My Bucket' }),
      /state\.bucket = "My Bucket": must be a Cloud Storage bucket name/,
    ],
    [
      'a waiver that is not a check id',
      (e) => (e.policy = { waivers: [{ id: 'no-public-endpoint', reason: 'because we said so, at length' }] }),
      /policy\.waivers\.0\.id = "no-public-endpoint": must be a Checkov/,
    ],
    [
      'a waiver without a reason',
      (e) => (e.policy = { waivers: [{ id: 'CKV_GCP_12', reason: 'ok' }] }),
      /policy\.waivers\.0\.reason = "ok": must say why the check does not apply/,
    ],
    [
      'a check waived twice',
      (e) =>
        (e.policy = {
          waivers: [
            { id: 'CKV_GCP_12', reason: 'Dataplane V2 enforces NetworkPolicy' },
            { id: 'CKV_GCP_12', reason: 'Dataplane V2 enforces NetworkPolicy' },
          ],
        }),
      /policy\.waivers = .*: waives a check twice/,
    ],
    [
      'a revision Cloud Service Mesh does not serve',
      (e) => {
        e.mesh = { mode: 'cloud-service-mesh' };
        e.istio.revision = 'canary';
      },
      /istio\.revision = "canary": must be asm-managed \(or left out\): the revision Cloud Service Mesh serves on the REGULAR channel/,
    ],
    [
      'a revision with the GKE add-on',
      (e) => {
        e.mesh = { mode: 'gke-istio-addon' };
        e.istio.revision = 'canary';
      },
      /istio\.revision = "canary": must be left out with mesh\.mode gke-istio-addon, which has no revisions/,
    ],
    [
      'the CNI node agent with the GKE add-on',
      (e) => {
        e.mesh = { mode: 'gke-istio-addon' };
        e.injection = { cni: true };
      },
      /injection\.cni = true: must be false \(or left out\) with mesh\.mode gke-istio-addon, which cannot run the Istio CNI node agent/,
    ],
    [
      'no CNI node agent with Cloud Service Mesh',
      (e) => {
        e.mesh = { mode: 'cloud-service-mesh' };
        e.injection = { cni: false };
      },
      /injection\.cni = false: must be true \(or left out\) with mesh\.mode cloud-service-mesh, which always runs/,
    ],
  ])('%s', (_name, change, message) => {
    const run = load(change);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  });
});
