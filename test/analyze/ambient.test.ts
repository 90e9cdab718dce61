import { analyzeManifests } from '../../analyze/analyzer';
import { formatFinding } from '../../analyze/finding';
import { callGraphOf, meshContextOf } from '../../cdk8s/analyzer-context';
import type { Manifest } from '../../kube/object';
import { testEnvironment } from '../helpers/environments';
import { objectsOf } from '../helpers/manifests';

const env = testEnvironment((e) => {
  e.mesh = { dataplane: 'ambient' };
});
const objects = objectsOf(env);
const context = { ...meshContextOf(env), callGraph: callGraphOf(env) };
const serious = (manifests: readonly Manifest[]) =>
  analyzeManifests(manifests, context)
    .filter((f) => f.level !== 'info')
    .map(formatFinding);

describe('the analyzer on an ambient Bookinfo', () => {
  test('the synthesized environment analyzes clean, its call graph allowed through waypoints and ztunnel', () => {
    expect(serious(objects)).toEqual([]);
  });

  test('a planted selector policy with a method: ztunnel would drop the rule (HI0008)', () => {
    const planted: Manifest = {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'details-get', namespace: 'bookinfo' },
      spec: {
        selector: { matchLabels: { app: 'details' } },
        rules: [{ to: [{ operation: { methods: ['GET'] } }] }],
      },
    };
    const findings = serious([...objects, planted]);
    expect(findings.filter((f) => f.startsWith('HI0008'))).toEqual([
      expect.stringMatching(
        /^HI0008 AuthorizationPolicy bookinfo\/details-get: spec\.rules\[0\]: rule #0 matches methods, which ztunnel cannot read/,
      ),
    ]);
    // and it admits any caller, which HI0003 reports as in the sidecar data plane
    expect(findings).toHaveLength(2);
  });

  test('a Service whose waypoint label is lost: its routes and L7 policy are ignored, and its callers refused', () => {
    const unlabelled = objects.map((m) =>
      m.kind === 'Service' && m.metadata.name === 'reviews'
        ? { ...m, metadata: { ...m.metadata, labels: { app: 'reviews', service: 'reviews' } } }
        : m,
    );
    const findings = serious(unlabelled);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^HI0009 VirtualService bookinfo\/reviews: spec\.hosts\[0\]: routes Service bookinfo\/reviews/,
        ),
        expect.stringMatching(
          /^HI0008 AuthorizationPolicy bookinfo\/reviews-callers: .*targets Service bookinfo\/reviews, which no waypoint serves/,
        ),
        expect.stringMatching(
          /^HI0002 CallGraphEdge cluster\.local\/ns\/bookinfo\/sa\/bookinfo-productpage -> reviews\.bookinfo: .*\(ztunnel in front of workload reviews-v1\) is admitted by no ALLOW/,
        ),
      ]),
    );
  });
});
