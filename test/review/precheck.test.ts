import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { loadEnvironments, type EnvironmentInput } from '../../config';
import { synthesize } from '../../pipeline/synthesize';
import { precheck } from '../../review/precheck';
import { testEnvironmentInput } from '../helpers/environments';

/** A canary environment of the tests' own, on a channel both releases support (GKE STABLE: 1.34 to 1.35). */
const canary = (tags: Record<string, string>): EnvironmentInput =>
  testEnvironmentInput((e) => {
    e.cluster = { ...e.cluster, releaseChannel: 'STABLE' };
    e.istio = {
      revisions: [
        { name: '1-29-6', version: '1.29.6' },
        { name: '1-30-5', version: '1.30.5' },
      ],
      tags,
      tag: 'stable',
    };
  });

const before = loadEnvironments([canary({ stable: '1-29-6', canary: '1-30-5' })]);
const moved = loadEnvironments([canary({ stable: '1-30-5', canary: '1-30-5' })]);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'precheck-'));
const synthesized = (name: string, envs: typeof before) => {
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  synthesize(envs, dir);
  return dir;
};
const distBefore = synthesized('before', before);
const distMoved = synthesized('moved', moved);

/** A copy of a synthesized dist/ to plant a problem in. */
function copy(from: string): string {
  const dir = fs.mkdtempSync(path.join(root, 'copy-'));
  fs.cpSync(from, dir, { recursive: true });
  return dir;
}

/** Rewrites the objects of one of the environment's Kubernetes files. */
function edit(dist: string, file: string, change: (objects: any[]) => any[]) {
  const full = path.join(dist, 'cdk8s', 'test', file);
  const objects = parseAllDocuments(fs.readFileSync(full, 'utf8')).map((d) => d.toJS());
  fs.writeFileSync(
    full,
    change(objects)
      .map((o) => stringify(o))
      .join('---\n'),
  );
}

const checks = (report: ReturnType<typeof precheck>) => report.findings.map((f) => f.check);

test('a synthesized canary setup is clean', () => {
  const report = precheck(before, distBefore);
  expect(report.findings).toEqual([]);
  expect(report.unknown).toEqual([]);
});

test("the GKE channel's Kubernetes versions outside a release's range", () => {
  const regular = loadEnvironments([testEnvironmentInput((e) => (e.istio = { version: '1.29.6' }))]);
  const report = precheck(regular, synthesized('regular', regular));
  expect(report.findings).toEqual([
    {
      environment: 'test',
      check: 'kubernetes',
      message:
        'the GKE REGULAR channel runs Kubernetes 1.34 to 1.36, Istio 1.29 supports 1.31 to 1.35: 1.36 outside it',
    },
  ]);
});

test('Gateway API CRDs older than a release requires; Gateway API objects whose CRDs are elsewhere cannot be told', () => {
  const dist = copy(distBefore);
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: 'httproutes.gateway.networking.k8s.io',
      annotations: { 'gateway.networking.k8s.io/bundle-version': 'v1.4.1' },
    },
  };
  fs.writeFileSync(path.join(dist, 'cdk8s', 'test', '9999-crd.k8s.yaml'), stringify(crd));
  const report = precheck(before, dist);
  expect(report.findings.map((f) => f.message)).toEqual([
    'CRD httproutes.gateway.networking.k8s.io is Gateway API v1.4.1, Istio 1.30 requires v1.5.1',
  ]);

  const elsewhere = copy(distBefore);
  const route = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'r', namespace: 'bookinfo' },
  };
  fs.writeFileSync(path.join(elsewhere, 'cdk8s', 'test', '9999-route.k8s.yaml'), stringify(route));
  const unknown = precheck(before, elsewhere);
  expect(unknown.findings).toEqual([]);
  expect(unknown.unknown.map((f) => f.check)).toEqual(['gateway-api']);
  expect(unknown.unknown[0].message).toContain('v1.4.1 (Istio 1.29), v1.5.1 (Istio 1.30)');
});

test('an annotation a release in use ignores', () => {
  const dist = copy(distBefore);
  edit(dist, '0002-workloads.k8s.yaml', (objects) =>
    objects.map((o) => {
      if (o?.kind === 'Deployment' && o.metadata.name === 'ratings-v1') {
        o.spec.template.metadata.annotations['prometheus.istio.io/scrape-targets'] = '[{"port":"9090"}]';
      }
      return o;
    }),
  );
  const report = precheck(before, dist);
  expect(checks(report)).toEqual(['upgrade-notes']);
  expect(report.findings[0].message).toMatch(
    /^annotation prometheus\.istio\.io\/scrape-targets \(Deployment bookinfo\/ratings-v1\): added in Istio 1\.31.*in use with Istio 1\.29, 1\.30/,
  );
});

test('sidecars of another release than the control plane their namespace points at (the tag moved, the sidecars not)', () => {
  const dist = copy(distBefore);
  // the mesh stack of the moved tag, the Kubernetes output of before: the pull request forgot to re-synthesize
  fs.rmSync(path.join(dist, 'cdktf'), { recursive: true });
  fs.cpSync(path.join(distMoved, 'cdktf'), path.join(dist, 'cdktf'), { recursive: true });
  const report = precheck(moved, dist);
  expect(new Set(checks(report))).toEqual(new Set(['sidecar-release']));
  expect(report.findings.length).toBeGreaterThan(3);
  expect(report.findings[0].message).toMatch(
    /sidecar injected by revision 1-29-6, but its namespace points at 1-30-5 \(Istio 1\.30\.5\)$/,
  );
  // the other way round is the same problem
  expect(checks(precheck(moved, distMoved))).toEqual([]);
});

test('a namespace on a tag that points at no revision', () => {
  const dist = copy(distBefore);
  edit(dist, '0000-namespace.k8s.yaml', (objects) =>
    objects.map((o) => {
      if (o?.kind === 'Namespace') o.metadata.labels['istio.io/rev'] = 'gone';
      return o;
    }),
  );
  const report = precheck(before, dist);
  expect(report.findings).toEqual([
    {
      environment: 'test',
      check: 'revision-tags',
      message:
        'namespace bookinfo is on istio.io/rev gone, which is no tag or revision (the mesh stack has stable, 1-29-6, canary, 1-30-5)',
    },
  ]);
});

test('no dist/ output: it cannot tell', () => {
  const empty = fs.mkdtempSync(path.join(root, 'empty-'));
  const report = precheck(before, empty);
  expect(report.findings).toEqual([]);
  expect(report.unknown.map((f) => f.check)).toEqual(['sidecar-release']);
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test('the Gateway API CRDs the mesh stack installs from its own chart are judged by their bundle version', () => {
  const envs = loadEnvironments([
    testEnvironmentInput((e) => {
      e.mesh = { dataplane: 'ambient' };
    }),
  ]);
  const dist = synthesized('ambient', envs);
  // the waypoints are Gateway API objects, and the mesh stack installs their CRDs: nothing is left to guess
  expect(precheck(envs, dist)).toMatchObject({ findings: [], unknown: [] });

  const stackDir = path.join(dist, 'cdktf', 'stacks', 'test-mesh');
  const chart = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')).resource.helm_release;
  const crdChart = Object.values(chart as Record<string, { chart: string }>).find((r) =>
    r.chart.startsWith('assets/'),
  )!;
  const template = path.join(stackDir, crdChart.chart, 'templates', 'standard-install.yaml');
  fs.writeFileSync(
    template,
    fs.readFileSync(template, 'utf8').replaceAll('bundle-version: v1.5.1', 'bundle-version: v1.4.1'),
  );
  const messages = precheck(envs, dist).findings.map((f) => f.message);
  expect(messages).toContain(
    'CRD httproutes.gateway.networking.k8s.io is Gateway API v1.4.1, Istio 1.30 requires v1.5.1',
  );
});
