import { assertKnownWaivers, checkPolicy, POLICY_CHECKS, type PolicyReport } from '../../cdktf/policy/policy-report';
import { stackResources, type StackResources, type TerraformJson } from '../../cdktf/policy/terraform-config';
import { stackIds } from '../../cdktf/terraform-app';
import { DEFAULT_POLICY_WAIVERS, type Environment } from '../../config';
import { testEnvironments, defaultEnvironment } from '../helpers/environments';
import { onlyResource, synthesizeStacks, type TerraformStackJson } from '../helpers/terraform';

/** The checks the issue names: Checkov's GKE checks and all of Trivy's google-gke checks. */
const CHECKOV_IDS = [1, 7, 8, 9, 10, 12, 13, 18, 20, 21, 22, 23, 25, 61, 64, 65, 66, 68, 69, 70, 71, 72, 123]
  .map((n) => `CKV_GCP_${n}`)
  .concat('CKV2_GCP_1');
const TRIVY_IDS = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64].map(
  (n) => `AVD-GCP-${String(n).padStart(4, '0')}`,
);

const cloudServiceMesh = defaultEnvironment((e) => ({ ...e, name: 'csm', mesh: { mode: 'cloud-service-mesh' } }));

/** Synthesizes an environment and runs the policy over its stacks with its own waivers. */
function policyOf(env: Environment): PolicyReport {
  const synth = synthesizeStacks([env]);
  const stacks = Object.values(stackIds(env)).map((id) => stackResources(id, synth.json(id) as TerraformJson));
  return checkPolicy(stacks, env.policy.waivers);
}

test('runs every check the issue lists, each by its id, with its upstream source', () => {
  expect(POLICY_CHECKS.map((c) => c.id)).toEqual([...CHECKOV_IDS, ...TRIVY_IDS]);
  for (const check of POLICY_CHECKS) {
    expect(check.source).toMatch(/^(bridgecrewio\/checkov|aquasecurity\/trivy-checks) /);
    expect(check.title.length).toBeGreaterThan(10);
  }
});

describe.each([...testEnvironments(), cloudServiceMesh].map((env) => [env.name, env] as const))(
  'environment %s',
  (_name, env) => {
    const report = policyOf(env);

    test('passes every check except those its config waives, and every waiver is needed', () => {
      expect(report.failures.map((r) => `${r.check.id} ${r.resource}`)).toEqual([]);
      expect([...new Set(report.waived.map((r) => r.check.id))].sort()).toEqual(
        env.policy.waivers.map((w) => w.id).sort(),
      );
      expect(report.unusedWaivers).toEqual([]);
    });

    test('every check reaches a verdict on some resource', () => {
      // CKV_GCP_22 judges only node pools pinned below Kubernetes 1.24; on ours Checkov itself says UNKNOWN
      for (const id of [...CHECKOV_IDS, ...TRIVY_IDS].filter((id) => id !== 'CKV_GCP_22')) {
        expect({ id, decided: report.results.some((r) => r.check.id === id && r.verdict !== 'unknown') }).toEqual({
          id,
          decided: true,
        });
      }
    });
  },
);

test('the waivers are config: the default ones, each with its reason', () => {
  for (const env of testEnvironments()) expect(env.policy.waivers).toEqual(DEFAULT_POLICY_WAIVERS);
  expect(DEFAULT_POLICY_WAIVERS.map((w) => w.id)).toEqual(['CKV_GCP_12', 'CKV_GCP_65']);
  expect(DEFAULT_POLICY_WAIVERS[0].reason).toMatch(/Dataplane V2/);
  expect(DEFAULT_POLICY_WAIVERS[1].reason).toMatch(/Google Workspace/);
});

test('a waiver naming an unknown check is an error that lists the known ones', () => {
  expect(() => assertKnownWaivers('default', [{ id: 'CKV_GCP_999', reason: 'no such check anywhere' }])).toThrow(
    /environment "default": policy\.waivers\.0\.id = "CKV_GCP_999": names no check this project runs\. The checks are: CKV_GCP_1, /,
  );
  expect(() => assertKnownWaivers('default', DEFAULT_POLICY_WAIVERS)).not.toThrow();
});

/** Every rule can fail: a change to the default cluster that a careless edit could make, and the check it breaks. */
describe('each check fails on the change it exists to catch', () => {
  const baseline = synthesizeStacks([defaultEnvironment()]).json('default-gke');
  type Change = (parts: { cluster: Record<string, any>; pool: Record<string, any> }) => void;
  const breaks: [string, Change][] = [
    ['CKV_GCP_1', ({ cluster }) => (cluster.logging_service = 'none')],
    ['CKV_GCP_7', ({ cluster }) => (cluster.enable_legacy_abac = true)],
    ['CKV_GCP_8', ({ cluster }) => (cluster.monitoring_service = 'none')],
    ['CKV_GCP_9', ({ pool }) => (pool.management.auto_repair = false)],
    ['CKV_GCP_10', ({ pool }) => (pool.management.auto_upgrade = false)],
    ['CKV_GCP_13', ({ cluster }) => delete cluster.master_auth],
    [
      'CKV_GCP_18',
      ({ cluster }) => (cluster.master_authorized_networks_config.cidr_blocks = [{ cidr_block: '0.0.0.0/0' }]),
    ],
    ['CKV_GCP_20', ({ cluster }) => delete cluster.master_authorized_networks_config],
    ['CKV_GCP_21', ({ cluster }) => (cluster.resource_labels = {})],
    // judged only on pools pinned below 1.24 (Checkov's GKEUseCosImage.py); UNKNOWN otherwise
    [
      'CKV_GCP_22',
      ({ pool }) =>
        Object.assign(
          pool,
          { version: '1.23.17-gke.100' },
          { node_config: { ...pool.node_config, image_type: 'UBUNTU_CONTAINERD' } },
        ),
    ],
    ['CKV_GCP_23', ({ cluster }) => delete cluster.ip_allocation_policy],
    ['CKV_GCP_25', ({ cluster }) => delete cluster.private_cluster_config],
    ['CKV_GCP_61', ({ cluster }) => (cluster.enable_intranode_visibility = false)],
    ['CKV_GCP_64', ({ cluster }) => delete cluster.private_cluster_config],
    ['CKV_GCP_66', ({ cluster }) => delete cluster.binary_authorization],
    ['CKV_GCP_68', ({ pool }) => (pool.node_config.shielded_instance_config.enable_secure_boot = false)],
    ['CKV_GCP_69', ({ pool }) => (pool.node_config.workload_metadata_config.mode = 'GCE_METADATA')],
    ['CKV_GCP_70', ({ cluster }) => delete cluster.release_channel],
    ['CKV_GCP_71', ({ cluster }) => (cluster.enable_shielded_nodes = false)],
    ['CKV_GCP_72', ({ pool }) => (pool.node_config.shielded_instance_config.enable_integrity_monitoring = false)],
    ['CKV_GCP_123', ({ cluster }) => (cluster.node_pool = [{ name: 'inline' }])],
    ['CKV2_GCP_1', ({ pool }) => (pool.node_config.service_account = '123456-compute@developer.gserviceaccount.com')],
    ['AVD-GCP-0048', ({ pool }) => (pool.node_config.metadata['disable-legacy-endpoints'] = 'false')],
    ['AVD-GCP-0049', ({ cluster }) => delete cluster.ip_allocation_policy],
    ['AVD-GCP-0050', ({ pool }) => delete pool.node_config.service_account],
    ['AVD-GCP-0051', ({ cluster }) => (cluster.resource_labels = {})],
    ['AVD-GCP-0052', ({ cluster }) => (cluster.monitoring_service = 'none')],
    [
      'AVD-GCP-0053',
      ({ cluster }) => (cluster.master_authorized_networks_config.cidr_blocks = [{ cidr_block: '198.51.100.0/24' }]),
    ],
    ['AVD-GCP-0054', ({ pool }) => (pool.node_config.image_type = 'UBUNTU_CONTAINERD')],
    ['AVD-GCP-0055', ({ cluster }) => (cluster.enable_shielded_nodes = false)],
    ['AVD-GCP-0056', ({ cluster }) => (cluster.datapath_provider = 'LEGACY_DATAPATH')],
    ['AVD-GCP-0057', ({ pool }) => delete pool.node_config.workload_metadata_config],
    ['AVD-GCP-0058', ({ pool }) => (pool.management.auto_upgrade = false)],
    ['AVD-GCP-0059', ({ cluster }) => (cluster.private_cluster_config.enable_private_nodes = false)],
    ['AVD-GCP-0060', ({ cluster }) => (cluster.logging_service = 'none')],
    ['AVD-GCP-0061', ({ cluster }) => delete cluster.master_authorized_networks_config],
    ['AVD-GCP-0062', ({ cluster }) => (cluster.enable_legacy_abac = true)],
    ['AVD-GCP-0063', ({ pool }) => (pool.management.auto_repair = false)],
    ['AVD-GCP-0064', ({ cluster }) => (cluster.master_auth.client_certificate_config.issue_client_certificate = true)],
  ];

  const verdicts = (stack: TerraformStackJson, id: string) =>
    checkPolicy([stackResources('default-gke', stack as TerraformJson)], [])
      .results.filter((r) => r.check.id === id)
      .map((r) => r.verdict);

  function changed(change: Change): TerraformStackJson {
    const stack = structuredClone(baseline);
    change({
      cluster: onlyResource(stack, 'google_container_cluster'),
      pool: onlyResource(stack, 'google_container_node_pool'),
    });
    return stack;
  }

  test('every check that passes by default has a breaking change here', () => {
    const waived = DEFAULT_POLICY_WAIVERS.map((w) => w.id);
    expect(breaks.map(([id]) => id).sort()).toEqual(
      POLICY_CHECKS.map((c) => c.id)
        .filter((id) => !waived.includes(id))
        .sort(),
    );
  });

  test.each(breaks)('%s', (id, change) => {
    expect(verdicts(baseline, id)).not.toContain('failed');
    expect(verdicts(changed(change), id)).toContain('failed');
  });

  test('the waived checks pass once the cluster meets them (Calico network policy, Google Groups for RBAC)', () => {
    expect(verdicts(baseline, 'CKV_GCP_12')).toEqual(['failed']);
    expect(
      verdicts(
        changed(({ cluster }) => (cluster.network_policy = { enabled: true })),
        'CKV_GCP_12',
      ),
    ).toEqual(['passed']);
    expect(verdicts(baseline, 'CKV_GCP_65')).toEqual(['failed']);
    const withGroups = changed(
      ({ cluster }) => (cluster.authenticator_groups_config = { security_group: 'gke-security-groups@example.com' }),
    );
    expect(verdicts(withGroups, 'CKV_GCP_65')).toEqual(['passed']);
  });
});

test('Trivy sees node pools through the cluster they reference, as its adapter does', () => {
  const stack: StackResources = stackResources('s', {
    resource: {
      google_container_cluster: { c: { remove_default_node_pool: true } },
      google_container_node_pool: {
        mine: { cluster: '${google_container_cluster.c.id}', node_config: { image_type: 'COS_CONTAINERD' } },
        other: { cluster: '${google_container_cluster.elsewhere.id}', node_config: { image_type: 'UBUNTU' } },
      },
    },
  });
  const cos = POLICY_CHECKS.find((c) => c.id === 'AVD-GCP-0054')!;
  expect(cos.evaluate(stack.resources[0], stack)).toBe('passed');
});
