import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CARRIED_GATEWAY_API_RELEASES, gatewayApiChartDir, gatewayApiRelease, loadEnvironments } from '../../config';
import { PROJECT_ROOT } from '../../pipeline/project-root';
import { testEnvironmentInput } from '../helpers/environments';
import { synthesizeStacks, type TerraformStackJson } from '../helpers/terraform';

const gatewayApiEnv = () =>
  loadEnvironments([testEnvironmentInput((e) => (e.traffic = { ingress: 'gateway-api' }))], {})[0];

function releases(stack: TerraformStackJson): Record<string, Record<string, any>> {
  return Object.fromEntries(Object.entries(stack.resource.helm_release).map(([id, r]) => [r.name, { ...r, id }]));
}

describe('the mesh stack of an environment with traffic.ingress gateway-api', () => {
  const synth = synthesizeStacks([gatewayApiEnv()]);
  const mesh = synth.json('test-mesh');
  const byName = releases(mesh);
  const chart = path.join(synth.outdir, 'stacks', 'test-mesh', byName['gateway-api-crds'].chart);

  test('installs no gateway chart: istiod deploys the gateway of the Gateway object', () => {
    expect(Object.keys(byName).sort()).toEqual(['gateway-api-crds', 'istio-base', 'istio-cni', 'istiod']);
    expect(Object.values(byName).filter((r) => r.chart === 'gateway')).toEqual([]);
  });

  test('installs the Gateway API CRDs that Istio 1.30 reads (v1.5.1) before istiod', () => {
    expect(CARRIED_GATEWAY_API_RELEASES).toContain(gatewayApiRelease('1.30.3'));
    // istiod comes after base, and base (the first of Istio's charts) after the CRDs
    expect(byName['istio-base'].depends_on).toContain(`helm_release.${byName['gateway-api-crds'].id}`);
    expect(byName.istiod.depends_on).toContain(`helm_release.${byName['istio-base'].id}`);
    expect(byName['gateway-api-crds']).toMatchObject({ version: '1.5.1', wait: true });
  });

  test("the CRDs' chart is copied into the stack's output, so the plan needs nothing outside it", () => {
    const crds = parseAllDocuments(fs.readFileSync(path.join(chart, 'templates', 'standard-install.yaml'), 'utf8'))
      .map((d) => d.toJS())
      .filter((d) => d?.kind === 'CustomResourceDefinition');
    const names = crds.map((d) => d.metadata.name as string);
    expect(names).toEqual(
      expect.arrayContaining(['gateways.gateway.networking.k8s.io', 'httproutes.gateway.networking.k8s.io']),
    );
    for (const crd of crds) {
      expect(crd.metadata.annotations['gateway.networking.k8s.io/bundle-version']).toBe('v1.5.1');
      expect(crd.metadata.annotations['gateway.networking.k8s.io/channel']).toBe('standard');
    }
    // the same chart as the project's copy
    const own = path.join(PROJECT_ROOT, gatewayApiChartDir('v1.5.1'), 'templates', 'standard-install.yaml');
    expect(fs.readFileSync(path.join(chart, 'templates', 'standard-install.yaml'), 'utf8')).toBe(
      fs.readFileSync(own, 'utf8'),
    );
  });

  test("istiod's gateways get a seccomp profile, which the application namespace's Pod Security level wants", () => {
    expect(byName.istiod.values[0]).toMatch(/gateways:\n\s+seccompProfile:\n\s+type: RuntimeDefault/);
  });

  test('the istio-mode stack installs no CRDs of the Gateway API', () => {
    const istio = releases(synthesizeStacks(loadEnvironments([testEnvironmentInput()], {})).json('test-mesh'));
    expect(Object.keys(istio)).not.toContain('gateway-api-crds');
    expect(istio.istiod.values[0]).not.toMatch(/seccompProfile/);
  });
});

test('an Istio release whose Gateway API CRDs the project does not carry is an error naming both', () => {
  expect(() => gatewayApiRelease('1.29.6')).toThrow(
    /Istio 1\.29\.6 requires the Gateway API CRDs v1\.4\.1, which this project does not carry: it carries v1\.5\.1/,
  );
  expect(gatewayApiRelease('1.30.5')).toBe('v1.5.1');
});

test('without traffic.gateway.address the synth warns that the reserved address goes unused', () => {
  const warnings = [...synthesizeStacks([gatewayApiEnv()]).warnings.values()].flat();
  expect(warnings).toContainEqual(expect.stringMatching(/traffic\.gateway\.address is not set.*gateway_ip output/));
  const withAddress = loadEnvironments(
    [testEnvironmentInput((e) => (e.traffic = { ingress: 'gateway-api', gateway: { address: '203.0.113.10' } }))],
    {},
  );
  expect([...synthesizeStacks(withAddress).warnings.values()].flat().join('\n')).not.toMatch(/gateway\.address/);
});
