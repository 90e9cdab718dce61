import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MockInstance } from 'vitest';
import { analyzeManifests } from '../../analyze/analyzer';
import { formatFinding } from '../../analyze/finding';
import { readManifests } from '../../kube/manifest-reader';
import { callGraphOf, meshContextOf } from '../../cdk8s/analyzer-context';
import { synthesizeKubernetes } from '../../cdk8s/kubernetes-app';
import { NamespaceChart } from '../../cdk8s/namespace/namespace-chart';
import { PROJECT_ROOT } from '../../pipeline/project-root';
import { synthesizeToDist } from '../../pipeline/synthesize';
import { TRAFFIC_PRESET_NAMES } from '../../config';
import { committedEnvironments, defaultEnvironment, testEnvironments } from '../helpers/environments';
import { readTree } from '../helpers/project-copy';

// Objects added to the namespace chart's output, to see what the synth does with a bad or a doubtful object. A spy on
// the chart's prototype rather than a replaced module, so that this file shares its worker's modules with the others.
const extraObjects: Record<string, unknown>[] = [];
let planted: MockInstance<NamespaceChart['toJson']>;
beforeEach(() => {
  const toJson = NamespaceChart.prototype.toJson;
  planted = vi.spyOn(NamespaceChart.prototype, 'toJson').mockImplementation(function (this: NamespaceChart) {
    return [...toJson.call(this), ...structuredClone(extraObjects)];
  });
});
afterEach(() => {
  planted.mockRestore();
  extraObjects.splice(0);
});

describe.each(committedEnvironments().map((env) => [env.name, env]))('environment %s', (_name, env) => {
  test('synthesizes with no errors and no warnings', () => {
    const warnings: string[] = [];
    synthesizeKubernetes(env, warnings);
    expect(warnings).toEqual([]);
  });

  test('its committed dist/cdk8s analyzes clean, read back from the YAML files', () => {
    const inputs = readManifests([path.join(PROJECT_ROOT, 'dist', 'cdk8s', env.name)]);
    expect(inputs.length).toBeGreaterThan(0);
    const findings = analyzeManifests(
      inputs.map((i) => i.manifest),
      { ...meshContextOf(env), callGraph: callGraphOf(env) },
    );
    expect(findings.filter((f) => f.level !== 'info').map(formatFinding)).toEqual([]);
  });
});

describe.each([...TRAFFIC_PRESET_NAMES])('traffic preset %s', (preset) => {
  test.each([
    ['with its default versions', {}],
    [
      'with every version of every service deployed',
      { versions: { details: ['v1', 'v2'], ratings: ['v1', 'v2'], reviews: ['v1', 'v2', 'v3'] } },
    ],
  ])('analyzes clean %s', (_how, bookinfo) => {
    const warnings: string[] = [];
    synthesizeKubernetes(
      defaultEnvironment((e) => ({ ...e, traffic: { preset }, bookinfo })),
      warnings,
    );
    expect(warnings).toEqual([]);
  });
});

function existingDist(): { dist: string; before: Map<string, Buffer> } {
  const dist = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gate-')), 'dist');
  fs.mkdirSync(dist);
  fs.writeFileSync(path.join(dist, 'marker'), 'unchanged');
  return { dist, before: readTree(dist) };
}

test('an object the schema rejects fails the synth, names object, field and what is wanted, and leaves dist/ as it was', () => {
  extraObjects.push({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'broken', namespace: 'bookinfo' },
    spec: { ports: [{ port: 'http' }] },
  });
  const { dist, before } = existingDist();
  expect(() => synthesizeToDist(testEnvironments(), dist)).toThrow(
    /cdk8s app of environment "default": 1 error\(s\) from schema validation and mesh analysis:\n {2}IST0106 Service bookinfo\/broken: spec.ports\[0\].port: must be integer, not string "http"/,
  );
  expect(readTree(dist)).toEqual(before);
});

test('an analyzer error fails the synth too', () => {
  extraObjects.push({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'stray', namespace: 'bookinfo' },
    spec: { hosts: ['stray'], http: [{ route: [{ destination: { host: 'nowhere' } }] }] },
  });
  expect(() => synthesizeToDist(testEnvironments(), existingDist().dist)).toThrow(
    /IST0101 VirtualService bookinfo\/stray: spec.http\[0\].route\[0\].destination.host: Referenced host not found: "nowhere"/,
  );
});

test('warnings do not stop the synth; they reach the environment output that `npm run synth` prints', () => {
  extraObjects.push({
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: { name: 'payments', namespace: 'bookinfo' },
    spec: { selector: { matchLabels: { app: 'payments' } }, mtls: { mode: 'STRICT' } },
  });
  const [output] = synthesizeToDist(testEnvironments(), existingDist().dist);
  expect(output.warnings.filter((w) => /^(IST|HI)\d{4}/.test(w))).toEqual([
    'IST0127 PeerAuthentication bookinfo/payments: spec.selector: No matching workloads for this resource with the following labels: app=payments',
  ]);
});
