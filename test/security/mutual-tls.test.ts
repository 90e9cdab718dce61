import type { EnvironmentInput } from '../../config';
import { UPSTREAM_DESTINATION_RULES_MTLS } from '../networking/upstream-bookinfo';
import { defaultEnvironment } from '../helpers/environments';
import { byName, objectsOf } from '../helpers/manifests';

const objectsWith = (security: EnvironmentInput['security'], change: Partial<EnvironmentInput> = {}) =>
  objectsOf(defaultEnvironment((e) => ({ ...e, ...change, security })));

test('by default, workloads in the namespace accept only mutual TLS', () => {
  const peers = objectsWith(undefined).filter((m) => m.kind === 'PeerAuthentication');
  expect(peers).toEqual([
    expect.objectContaining({
      apiVersion: 'security.istio.io/v1',
      metadata: expect.objectContaining({ name: 'default', namespace: 'bookinfo' }),
      spec: { mtls: { mode: 'STRICT' } },
    }),
  ]);
});

test("mesh scope puts the PeerAuthentication in the control plane's root namespace, without a selector", () => {
  const [peer] = objectsWith({ mtls: { scope: 'mesh' } }).filter((m) => m.kind === 'PeerAuthentication');
  expect(peer.metadata).toMatchObject({ name: 'default', namespace: 'istio-system' });
  expect(peer.spec).toEqual({ mtls: { mode: 'STRICT' } });
});

test('PERMISSIVE mode is written as configured', () => {
  const [peer] = objectsWith({ mtls: { mode: 'PERMISSIVE' } }).filter((m) => m.kind === 'PeerAuthentication');
  expect(peer.spec).toEqual({ mtls: { mode: 'PERMISSIVE' } });
});

test('by default DestinationRules leave client TLS to auto mTLS', () => {
  for (const rule of byName(objectsWith(undefined), 'DestinationRule').values())
    expect(rule.spec).not.toHaveProperty('trafficPolicy');
});

test("istio-mutual DestinationRules match upstream's destination-rule-all-mtls.yaml for the deployed versions", () => {
  const env = defaultEnvironment((e) => ({ ...e, security: { mtls: { destinationRuleTls: 'istio-mutual' } } }));
  const rules = byName(objectsOf(env), 'DestinationRule');
  for (const { name, spec } of UPSTREAM_DESTINATION_RULES_MTLS) {
    const deployed = env.bookinfo.versions[name as keyof typeof env.bookinfo.versions];
    const subsets = (spec.subsets as { name: string }[]).filter((s) => deployed.includes(s.name));
    expect(rules.get(name)!.spec).toEqual({ ...spec, subsets });
  }
});

test('istio-mutual TLS is kept beside a traffic policy (the circuit breaker)', () => {
  const objects = objectsWith(
    { mtls: { destinationRuleTls: 'istio-mutual' } },
    { traffic: { preset: 'circuit-breaker' } },
  );
  const reviews = byName(objects, 'DestinationRule').get('reviews')!.spec as { trafficPolicy: Record<string, unknown> };
  expect(reviews.trafficPolicy).toMatchObject({
    tls: { mode: 'ISTIO_MUTUAL' },
    connectionPool: { tcp: { maxConnections: 1 } },
  });
});

test('bad mTLS settings are named with what is allowed', () => {
  expect(() => objectsWith({ mtls: { mode: 'DISABLE' as never } })).toThrow(
    /security\.mtls\.mode = "DISABLE": must be one of STRICT, PERMISSIVE/,
  );
  expect(() => objectsWith({ mtls: { scope: 'cluster' as never } })).toThrow(
    /security\.mtls\.scope = "cluster": must be one of namespace, mesh/,
  );
});
