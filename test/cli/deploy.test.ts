import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEPLOY_OUTDIR, deployPlan, destroyPlan } from '../../cli/deployment';
import { localStatePath } from '../../cdktf/state';
import { loadEnvironments, type EnvironmentInput } from '../../config';
import { synthesizeStacks } from '../helpers/terraform';
import { TEST_ENVIRONMENTS, testEnvironmentInput } from '../helpers/environments';
import { copyProject, readTree, runCli, writeEnvironments } from '../helpers/project-copy';

const inputs: EnvironmentInput[] = [
  testEnvironmentInput((e) => (e.projectId = 'your-gcp-project-id')),
  testEnvironmentInput((e) => {
    e.name = 'addon';
    e.projectId = 'your-gcp-project-id';
    e.cluster.name = 'addon';
    e.mesh = { mode: 'gke-istio-addon' };
  }),
];
const ids = { HELLO_ISTIO_PROJECT_ID_TEST: 'real-project-1', HELLO_ISTIO_PROJECT_ID_ADDON: 'real-project-2' };
const output = ['--skip-synth', '--output', DEPLOY_OUTDIR];

describe('what deploy runs', () => {
  test('an environment: its stacks in deploy order, in one cdktf deploy over .deploy/cdktf, with its own project id', () => {
    const plan = deployPlan(['test'], inputs, ids);
    expect(plan.runs.map((r) => r.args)).toEqual([['deploy', 'test-gke', 'test-mesh', ...output]]);
    expect(plan.environments.map((e) => e.projectId)).toEqual(['real-project-1']);
  });

  test('stacks by name, in deploy order whatever order they are given in, and flags passed on', () => {
    const plan = deployPlan(['test-mesh', 'test-gke', '--auto-approve'], inputs, ids);
    expect(plan.runs[0].args).toEqual(['deploy', 'test-gke', 'test-mesh', ...output, '--auto-approve']);
  });

  test('refuses the placeholder project id, naming the variable to set', () => {
    expect(() => deployPlan(['test'], inputs, {})).toThrow(
      'environment "test": projectId is the placeholder your-gcp-project-id; set HELLO_ISTIO_PROJECT_ID_TEST to the project to deploy into',
    );
  });

  test('refuses unknown names and no names, listing what there is', () => {
    expect(() => deployPlan(['prod'], inputs, ids)).toThrow(
      /unknown environment or stack "prod"[\s\S]*environments: test, addon/,
    );
    expect(() => deployPlan([], inputs, ids)).toThrow(/usage: npm run deploy -- <environment\|stack>/);
  });

  test('the deploy folder is outside dist/ and as deep, so that local state lands in the same terraform.tfstate.d/', () => {
    expect(DEPLOY_OUTDIR.split(path.sep)[0]).not.toBe('dist');
    const root = '/project';
    const stackDir = path.join(root, DEPLOY_OUTDIR, 'stacks', 'test-gke');
    expect(path.resolve(stackDir, localStatePath('test-gke'))).toBe(
      path.join(root, 'terraform.tfstate.d', 'test-gke.tfstate'),
    );
  });
});

describe('what destroy runs', () => {
  const unprotected = inputs.map((e) => ({ ...e, cluster: { ...e.cluster, deletionProtection: false } }));

  test('the mesh stack first, then deletion protection off into the gke stack, then the gke stack', () => {
    const plan = destroyPlan(['test', '--auto-approve'], unprotected, ids);
    expect(plan.runs.map((r) => r.args.slice(0, 2))).toEqual([
      ['destroy', 'test-mesh'],
      ['deploy', 'test-gke'],
      ['destroy', 'test-gke'],
    ]);
    for (const run of plan.runs) expect(run.args.slice(2)).toEqual([...output, '--auto-approve']);
  });

  test('an add-on environment has no mesh stack', () => {
    expect(destroyPlan(['addon'], unprotected, ids).runs.map((r) => r.args.slice(0, 2))).toEqual([
      ['deploy', 'addon-gke'],
      ['destroy', 'addon-gke'],
    ]);
  });

  test('refuses while the config protects the cluster, naming the field', () => {
    expect(() => destroyPlan(['test'], inputs, ids)).toThrow(
      'environment "test": cluster.deletionProtection = true: set it to false in config/environments.ts to destroy the cluster',
    );
  });

  test("the gateway's load balancer is gone before the address and network: Helm's uninstall waits for the Service", () => {
    // A LoadBalancer Service keeps GKE's finalizer until its forwarding rule, target pool, health check and firewall
    // rules are deleted; the helm provider's uninstall waits (`wait`) until the release's objects are gone, so the
    // mesh stack's destroy ends only then, and the gke stack's address and network are destroyed after it.
    const [env] = loadEnvironments([testEnvironmentInput()]);
    const mesh = synthesizeStacks([env]).json('test-mesh');
    const gateway = Object.values(mesh.resource.helm_release).find((r: any) => r.chart === 'gateway')!;
    expect(gateway).toMatchObject({ wait: true, timeout: 600 });
    expect(synthesizeStacks([env]).manifest.stacks['test-mesh'].dependencies).toEqual(['test-gke']);
  });

  test('takes whole environments only', () => {
    expect(() => destroyPlan(['test-gke'], unprotected, ids)).toThrow(/takes environment names .* got "test-gke"/);
  });
});

describe('end to end, with a fake cdktf on PATH', () => {
  const dir = copyProject('deploy', TEST_ENVIRONMENTS);
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-cdktf-'));
  const log = path.join(bin, 'calls.log');
  // Records each call (its folder and arguments) and what the deployed stack says its project is.
  fs.writeFileSync(
    path.join(bin, 'cdktf'),
    [
      '#!/bin/sh',
      'echo "$PWD|$*" >> "$FAKE_CDKTF_LOG"',
      'grep -o \'"project": "[^"]*"\' "$PWD/.deploy/cdktf/stacks/default-gke/cdk.tf.json" | head -1 >> "$FAKE_CDKTF_LOG"',
      '[ "$1" = "$FAKE_CDKTF_FAIL" ] && exit 3',
      'exit 0',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    fs.rmSync(log, { force: true });
    const result = runCli(dir, args, {
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      FAKE_CDKTF_LOG: log,
      ...extra,
    });
    return { ...result, calls: fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [] };
  };
  const dist = () => readTree(path.join(dir, 'dist'));

  test('npm run deploy: cdktf deploy over .deploy/cdktf with the real id; dist/ keeps the placeholder', () => {
    const before = dist();
    const result = run(['deploy', 'default'], { HELLO_ISTIO_PROJECT_ID_DEFAULT: 'my-real-project' });
    expect(result.stderr).toContain('synthesized default (project my-real-project) into .deploy/cdktf');
    expect(result.calls).toEqual([
      `${dir}|deploy default-gke default-mesh --skip-synth --output .deploy/cdktf`,
      '"project": "my-real-project"',
    ]);
    expect(result.status).toBe(0);
    expect(dist()).toEqual(before);
    expect(fs.readFileSync(path.join(dir, 'dist', 'cdktf', 'stacks', 'default-gke', 'cdk.tf.json'), 'utf8')).toContain(
      '"project": "your-gcp-project-id"',
    );
  });

  test('npm run deploy without the project id: an error, and cdktf never runs', () => {
    const result = run(['deploy', 'default']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('set HELLO_ISTIO_PROJECT_ID_DEFAULT');
    expect(result.calls).toEqual([]);
  });

  test('npm run destroy: mesh first, then the cluster; a failing step stops the rest', () => {
    writeEnvironments(
      dir,
      TEST_ENVIRONMENTS.map((e) => ({ ...e, cluster: { ...e.cluster!, deletionProtection: false } })),
    );
    const env = { HELLO_ISTIO_PROJECT_ID_DEFAULT: 'my-real-project' };
    const result = run(['destroy', 'default', '--auto-approve'], env);
    expect(result.calls.filter((c) => c.startsWith(dir)).map((c) => c.split('|')[1].split(' --')[0])).toEqual([
      'destroy default-mesh',
      'deploy default-gke',
      'destroy default-gke',
    ]);
    expect(result.status).toBe(0);
    const failing = run(['destroy', 'default'], { ...env, FAKE_CDKTF_FAIL: 'destroy' });
    expect(failing.status).toBe(3);
    expect(failing.calls.filter((c) => c.startsWith(dir))).toHaveLength(1);
    expect(failing.stderr).toMatch(/cdktf destroy failed \(exit 3\); stopped before: deploy default-gke/);
  });
});
