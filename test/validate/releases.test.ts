import { validateObject } from '../../validate/schema-validator';
import { analyzeManifests } from '../../analyze/analyzer';

// An AuthorizationPolicy using `source.trustDomains`, a field that came with Istio 1.30's CRDs.
const policy = {
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  metadata: { name: 'from-partner', namespace: 'shop' },
  spec: { rules: [{ from: [{ source: { trustDomains: ['partner.example'] } }] }] },
};

// A DestinationRule using `retryBudget.budgetInterval`, which came with 1.31's.
const rule = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { host: 'web', trafficPolicy: { retryBudget: { percent: 20, budgetInterval: '10s' } } },
};

const violations = (object: object, minor?: string) => {
  const verdict = validateObject(object, minor);
  if (!verdict.known) throw new Error('no schema');
  return verdict.violations.map((v) => `${v.path.join('.')}: ${v.message}`);
};

test("each release's CRDs judge its objects: a field is known from the release that added it", () => {
  expect(violations(policy, '1.29')).toEqual([
    'spec.rules.0.from.0.source.trustDomains: is not a field of this object (unknown field)',
  ]);
  expect(violations(policy, '1.30')).toEqual([]);
  expect(violations(policy, '1.31')).toEqual([]);
  expect(violations(policy)).toEqual([]);
  expect(violations(rule, '1.30')).toEqual([
    'spec.trafficPolicy.retryBudget.budgetInterval: is not a field of this object (unknown field)',
  ]);
  expect(violations(rule, '1.31')).toEqual([]);
});

test('a kind only a newer release has is unknown to an older one', () => {
  const extension = { apiVersion: 'extensions.istio.io/v1alpha1', kind: 'TrafficExtension', metadata: { name: 'x' } };
  expect(validateObject(extension, '1.29').known).toBe(false);
  expect(validateObject(extension, '1.30').known).toBe(true);
});

test("the analyzer validates with the environment's release", () => {
  const codes = (istioMinor: string) => analyzeManifests([policy], { istioMinor }).map((f) => f.code);
  expect(codes('1.29')).toContain('IST0106');
  expect(codes('1.30')).not.toContain('IST0106');
});
