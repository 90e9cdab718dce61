import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GKE_ISTIO_ADDON_PRECONDITION } from '../../cdktf/platform';
import { loadEnvironments, type EnvironmentInput } from '../../config';
import { testEnvironmentInput } from '../helpers/environments';
import { synthesizeStacks, type TerraformStackJson } from '../helpers/terraform';

const load = (change?: (e: EnvironmentInput) => void) => loadEnvironments([testEnvironmentInput(change)]);
const reachable = (e: EnvironmentInput) => {
  e.cluster.masterAuthorizedNetworks = [{ cidrBlock: '203.0.113.7/32', displayName: 'my laptop' }];
};

/** Every resource of a stack with its address. */
const resourcesOf = (stack: TerraformStackJson) =>
  Object.entries(stack.resource).flatMap(([type, byId]) =>
    Object.entries(byId).map(([id, r]) => ({ address: `${type}.${id}`, r })),
  );

const checksOf = (stack: TerraformStackJson) => `terraform_data.${Object.keys(stack.resource.terraform_data)[0]}`;

describe('every resource waits for the checks', () => {
  const synth = synthesizeStacks(load());
  test.each(['test-gke', 'test-mesh'])('%s', (id) => {
    const stack = synth.json(id);
    const checks = checksOf(stack);
    const waiting = resourcesOf(stack).filter(({ address }) => address !== checks);
    expect(waiting.length).toBeGreaterThan(3);
    expect(waiting.filter(({ r }) => !(r.depends_on ?? []).includes(checks)).map(({ address }) => address)).toEqual([]);
  });
});

/**
 * The checks of a stack, cut out with what they read (the local) into a configuration of their own, which
 * `terraform plan` evaluates offline (terraform_data needs no provider).
 */
function planChecks(stack: TerraformStackJson & { locals?: unknown }): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preconditions-'));
  fs.writeFileSync(
    path.join(dir, 'main.tf.json'),
    JSON.stringify({ locals: stack.locals, resource: { terraform_data: stack.resource.terraform_data } }),
  );
  const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
  const run = (args: string[]) => spawnSync('terraform', args, { cwd: dir, env, encoding: 'utf8' });
  const init = run(['init', '-input=false', '-no-color']);
  if (init.status !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
  const plan = run(['plan', '-input=false', '-no-color']);
  return { status: plan.status, output: `${plan.stdout}${plan.stderr}`.replace(/\s+/g, ' ') };
}

const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
const haveTerraform = terraform.status === 0;
if (!haveTerraform) {
  // Loudly: the conditions are still checked for their shape below, but not evaluated by Terraform.
  console.warn('SKIPPED: terraform is not on PATH, so the plan-time preconditions are not evaluated by Terraform here');
}
const withTerraform = haveTerraform ? describe : describe.skip;

withTerraform('terraform plan stops on them, before anything is created', () => {
  test('a mesh stack whose control plane admits no one: fails, saying the fix', () => {
    const synth = synthesizeStacks(load());
    for (const id of ['test-gke', 'test-mesh']) {
      const { status, output } = planChecks(synth.json(id));
      expect(status).not.toBe(0);
      expect(output).toContain('Resource precondition failed');
      expect(output).toContain('environment "test": the control plane\'s public endpoint admits no one');
      expect(output).toContain('cluster.masterAuthorizedNetworks');
    }
  });

  test('with an authorized network, or a private endpoint, the plan goes on', () => {
    for (const change of [reachable, (e: EnvironmentInput) => (e.cluster.privateEndpoint = true)]) {
      const { status, output } = planChecks(synthesizeStacks(load(change)).json('test-gke'));
      expect({ status, output }).toMatchObject({ status: 0 });
      expect(output).toContain('terraform_data');
    }
  });

  test('the GKE add-on: fails, naming the replacements, whatever the networks', () => {
    const synth = synthesizeStacks(
      load((e) => {
        reachable(e);
        e.mesh = { mode: 'gke-istio-addon' };
      }),
    );
    const { status, output } = planChecks(synth.json('test-gke'));
    expect(status).not.toBe(0);
    expect(output).toContain(GKE_ISTIO_ADDON_PRECONDITION.replace(/\s+/g, ' ').slice(0, 60));
  });

  test('an add-on cluster that admits no one needs no mesh stack, so only the add-on check fails', () => {
    const { output } = planChecks(
      synthesizeStacks(load((e) => (e.mesh = { mode: 'gke-istio-addon' }))).json('test-gke'),
    );
    expect(output.match(/Resource precondition failed/g)).toHaveLength(1);
    expect(output).toContain('lifecycle.precondition[0]');
  });
});

test('the offline synth keeps working and warns, for every mode', () => {
  for (const mode of ['istio-helm', 'gke-istio-addon', 'cloud-service-mesh'] as const) {
    const synth = synthesizeStacks(load((e) => (e.mesh = { mode })));
    expect(synth.warnings.get('test')!.join('\n')).toMatch(/masterAuthorizedNetworks is empty/);
  }
});
