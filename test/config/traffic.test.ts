import {
  BOOKINFO_CALL_GRAPH,
  BOOKINFO_SERVICES,
  resolveTrafficPreset,
  TRAFFIC_PRESET_NAMES,
  TRAFFIC_PRESETS,
  withPresetVersions,
} from '../../config';
import { defaultEnvironment } from '../helpers/environments';

test('the default environment: preset all-v1, HTTP on any host, STRICT mTLS in the namespace, authorization from the call graph', () => {
  const env = defaultEnvironment();
  expect(env.traffic).toEqual({
    preset: 'all-v1',
    ingress: 'istio',
    gateway: { hosts: ['*'] },
    policy: {},
    routes: {},
  });
  expect(env.security).toEqual({
    mtls: { mode: 'STRICT', scope: 'namespace', destinationRuleTls: 'auto' },
    authorization: 'call-graph',
  });
  expect(env.callGraph).toEqual(BOOKINFO_CALL_GRAPH);
  expect(env.ingressGateway.serviceAccount).toBe('istio-ingressgateway');
});

test('an unknown preset is named, with the valid ones', () => {
  expect(() => defaultEnvironment((e) => ({ ...e, traffic: { preset: 'reviews-v4' as never } }))).toThrow(
    `traffic.preset = "reviews-v4": must be a traffic preset: ${TRAFFIC_PRESET_NAMES.join(', ')}`,
  );
});

test('routes for a service that the environment does not have are named, with the services that can be routed', () => {
  expect(() => defaultEnvironment((e) => ({ ...e, traffic: { routes: { payments: [] } } }))).toThrow(
    'traffic.routes.payments = "payments": is not an HTTP service of this environment; routes can be given for productpage, details, ratings, reviews',
  );
});

describe('presets', () => {
  test.each(TRAFFIC_PRESET_NAMES.map((n) => [n]))('%s layers on all-v1, so that every service has routes', (name) => {
    expect(Object.keys(resolveTrafficPreset(name).routes).sort()).toEqual([...BOOKINFO_SERVICES].sort());
    let base: string | undefined = name;
    while (base && base !== 'all-v1') base = TRAFFIC_PRESETS[base as keyof typeof TRAFFIC_PRESETS].base;
    expect(base).toBe('all-v1');
    expect(TRAFFIC_PRESETS[name].description).toMatch(/\w.*\.$/);
  });

  test("the fault injection presets keep reviews-test-v2's routes for reviews", () => {
    for (const name of ['ratings-test-delay', 'ratings-test-abort'] as const) {
      expect(resolveTrafficPreset(name).routes.reviews).toBe(TRAFFIC_PRESETS['reviews-test-v2'].routes!.reviews);
    }
  });
});

describe('withPresetVersions', () => {
  const versions = { productpage: ['v1'], details: ['v1'], ratings: ['v1'], reviews: ['v3', 'v1'] };

  test('adds the versions a preset deploys after the configured ones, keeping the configured order', () => {
    expect(withPresetVersions(versions, 'details-v2')).toEqual({ ...versions, details: ['v1', 'v2'] });
  });

  test('adds nothing that is already there, and nothing for presets that deploy nothing', () => {
    expect(withPresetVersions({ ...versions, details: ['v2'] }, 'details-v2')).toEqual({
      ...versions,
      details: ['v2'],
    });
    expect(withPresetVersions(versions, 'reviews-80-20')).toEqual(versions);
  });
});
