import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { analyzeManifests } from '../../analyze/analyzer';
import { formatFinding } from '../../analyze/finding';
import { synthesizeKubernetes } from '../../cdk8s/kubernetes-app';
import { gatewayApiChartDir, loadEnvironments, type TrafficPresetName } from '../../config';
import type { Manifest } from '../../kube/object';
import { PROJECT_ROOT } from '../../pipeline/project-root';
import { testEnvironmentInput } from '../helpers/environments';

const analyze = (yaml: string) =>
  analyzeManifests(parseAllDocuments(yaml).map((d) => d.toJS() as Manifest)).map(formatFinding);

test("the issue's planted faults: an HTTPRoute to a Gateway and a Service that do not exist, with a misspelt field", () => {
  const findings = analyze(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: bookinfo, namespace: bookinfo }
spec:
  parentRefs: [{ name: bookinfo-gateway }]
  rules:
    - matchs: [{ path: { type: Exact, value: /productpage } }]
      backendRefs: [{ name: productpage, port: 9080 }]
`);
  expect(findings).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^IST0106 .*HTTPRoute bookinfo\/bookinfo.*spec\.rules\[0\]\.matchs.*unknown field/),
      expect.stringMatching(/^HI0010 .*parentRef Gateway "bookinfo\/bookinfo-gateway" does not exist/),
      expect.stringMatching(/^HI0011 .*backendRef Service "bookinfo\/productpage" does not exist/),
    ]),
  );
  expect(findings.filter((f) => f.startsWith('HI0007'))).toEqual([]);
});

describe('the CRDs the mesh stack installs, analyzed as istioctl would read them from a cluster', () => {
  const file = path.join(PROJECT_ROOT, gatewayApiChartDir('v1.5.1'), 'templates', 'standard-install.yaml');
  const crds = parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as Manifest)
    .filter((d) => d?.kind === 'CustomResourceDefinition');

  test('v1.5.1 is what Istio 1.30 needs: no IST0176', () => {
    expect(
      analyzeManifests(crds)
        .map(formatFinding)
        .filter((f) => f.startsWith('IST0176')),
    ).toEqual([]);
  });

  test('an older TLSRoute CRD is reported (IST0176)', () => {
    const tlsRoute = crds.find((c) => c.metadata.name === 'tlsroutes.gateway.networking.k8s.io')!;
    const old = parse(stringify(tlsRoute)) as Manifest;
    (old.metadata.annotations as Record<string, string>)['gateway.networking.k8s.io/bundle-version'] = 'v1.4.0';
    expect(analyzeManifests([old]).map(formatFinding)).toEqual([
      expect.stringMatching(/^IST0176 .*tlsroutes\.gateway\.networking\.k8s\.io.*1\.4\.0.*1\.5\.0/),
    ]);
  });
});

test.each<TrafficPresetName>(['all-v1', 'reviews-90-10', 'reviews-test-v2', 'circuit-breaker'])(
  'a gateway-api environment with preset %s synthesizes without warnings',
  (preset) => {
    const env = loadEnvironments(
      [testEnvironmentInput((e) => (e.traffic = { ingress: 'gateway-api', preset }))],
      {},
    )[0];
    const warnings: string[] = [];
    synthesizeKubernetes(env, warnings);
    expect(warnings).toEqual([]);
  },
);
