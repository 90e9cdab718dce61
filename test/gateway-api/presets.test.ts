import { loadEnvironments, TRAFFIC_PRESET_NAMES, type EnvironmentInput, type TrafficPresetName } from '../../config';
import type { Manifest } from '../../kube/object';
import { testEnvironmentInput } from '../helpers/environments';
import { byName, findObject, objectsOf } from '../helpers/manifests';
import { appliedInOrder, UPSTREAM_VERSION_SERVICES } from './upstream-gateway-api';

const env = (traffic: EnvironmentInput['traffic']) =>
  loadEnvironments([testEnvironmentInput((e) => (e.traffic = { ingress: 'gateway-api', ...traffic }))], {})[0];
const withPreset = (preset: TrafficPresetName) => env({ preset });

/** The mesh routes (every HTTPRoute but the gateway's), by name. */
function meshRoutes(manifests: readonly Manifest[]): Record<string, unknown> {
  const routes = byName(manifests, 'HTTPRoute');
  routes.delete('bookinfo');
  return Object.fromEntries([...routes].map(([name, route]) => [name, route.spec]));
}

const parent = (service: string) => [{ group: '', kind: 'Service', name: service, port: 9080 }];
const backend = (service: string, version: string, weight?: number) => ({
  name: `${service}-${version}`,
  port: 9080,
  ...(weight === undefined ? {} : { weight }),
});
const jason = [{ headers: [{ name: 'end-user', type: 'Exact', value: 'jason' }] }];

/** Upstream's files for the presets it has them for, in the order its tasks apply them. */
const UPSTREAM_FILES: Partial<Record<TrafficPresetName, string[]>> = {
  'all-v1': ['route-all-v1.yaml'],
  'reviews-v3': ['route-all-v1.yaml', 'route-reviews-v3.yaml'],
  'reviews-50-v3': ['route-all-v1.yaml', 'route-reviews-50-v3.yaml'],
  'reviews-90-10': ['route-all-v1.yaml', 'route-reviews-90-10.yaml'],
  'circuit-breaker': ['route-all-v1.yaml'],
};

/**
 * The presets upstream has no gateway-api file for: the networking file's routing (upstream-bookinfo.ts) in Gateway
 * API terms, over route-all-v1.yaml.
 */
const TRANSLATED: Partial<Record<TrafficPresetName, Record<string, unknown>>> = {
  'reviews-80-20': { reviews: [{ backendRefs: [backend('reviews', 'v1', 80), backend('reviews', 'v2', 20)] }] },
  'reviews-v2-v3': { reviews: [{ backendRefs: [backend('reviews', 'v2', 50), backend('reviews', 'v3', 50)] }] },
  'reviews-test-v2': {
    reviews: [{ matches: jason, backendRefs: [backend('reviews', 'v2')] }, { backendRefs: [backend('reviews', 'v1')] }],
  },
  'reviews-jason-v2-v3': {
    reviews: [{ matches: jason, backendRefs: [backend('reviews', 'v2')] }, { backendRefs: [backend('reviews', 'v3')] }],
  },
  'details-v2': { details: [{ backendRefs: [backend('details', 'v2')] }] },
};

/** Presets that inject faults, which the Gateway API cannot. */
const FAULTS: Partial<Record<TrafficPresetName, RegExp>> = {
  'ratings-test-delay': /preset "ratings-test-delay".*route #1 of ratings injects a fault \(a delay\)/s,
  'ratings-test-abort': /preset "ratings-test-abort".*route #1 of ratings injects a fault \(an abort\)/s,
  'details-fault': /preset "details-fault".*route #1 of details injects a fault \(an abort\)/s,
};

test('every preset is compared: with upstream, translated from upstream, or refused', () => {
  const covered = [...Object.keys(UPSTREAM_FILES), ...Object.keys(TRANSLATED), ...Object.keys(FAULTS)];
  expect(covered.sort()).toEqual([...TRAFFIC_PRESET_NAMES].sort());
});

describe.each(Object.entries(UPSTREAM_FILES))('preset %s', (preset, files) => {
  test(`routes as upstream's ${files.join(' then ')}`, () => {
    expect(meshRoutes(objectsOf(withPreset(preset as TrafficPresetName)))).toEqual(
      Object.fromEntries(appliedInOrder(...files)),
    );
  });
});

describe.each(Object.entries(TRANSLATED))('preset %s', (preset, rules) => {
  test('routes as its upstream networking file does, through per-version Services', () => {
    const expected = Object.fromEntries(appliedInOrder('route-all-v1.yaml'));
    for (const [service, serviceRules] of Object.entries(rules!)) {
      expected[service] = { parentRefs: parent(service), rules: serviceRules };
    }
    expect(meshRoutes(objectsOf(withPreset(preset as TrafficPresetName)))).toEqual(expected);
  });
});

test.each(Object.entries(FAULTS))(
  'preset %s is an error naming it and what the Gateway API lacks',
  (preset, message) => {
    expect(() => objectsOf(withPreset(preset as TrafficPresetName))).toThrow(message);
    expect(() => objectsOf(withPreset(preset as TrafficPresetName))).toThrow(/has no fault injection/);
  },
);

test("a Service per version, as upstream's bookinfo-versions.yaml, and no VirtualService", () => {
  const manifests = objectsOf(withPreset('all-v1'));
  for (const { name, selector } of UPSTREAM_VERSION_SERVICES) {
    const service = findObject(manifests, 'Service', name);
    expect(service.spec).toEqual({ ports: [{ name: 'http', port: 9080 }], selector });
  }
  expect(manifests.filter((m) => m.kind === 'VirtualService')).toEqual([]);
  // no subsets to name and no policy: no DestinationRules
  expect(manifests.filter((m) => m.kind === 'DestinationRule')).toEqual([]);
});

test("the circuit breaker's policy goes to every Service a route of reviews can reach", () => {
  const manifests = objectsOf(withPreset('circuit-breaker'));
  const rules = byName(manifests, 'DestinationRule');
  expect([...rules.keys()].sort()).toEqual(['reviews', 'reviews-v1', 'reviews-v2', 'reviews-v3']);
  for (const [name, rule] of rules) {
    expect(rule.spec).toMatchObject({ host: name, trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 } } } });
    expect((rule.spec as { subsets?: unknown }).subsets).toBeUndefined();
  }
});

describe('traffic.routes as HTTPRoutes', () => {
  test('timeouts, mirroring and header prefixes', () => {
    const manifests = objectsOf(
      env({
        routes: {
          reviews: [
            { match: [{ headers: { 'end-user': { prefix: 'j.' } } }], to: [{ subset: 'v2' }], timeout: '2s' },
            { to: [{ subset: 'v1' }], mirror: { subset: 'v3', percent: 10 } },
          ],
        },
      }),
    );
    expect(findObject(manifests, 'HTTPRoute', 'reviews').spec.rules).toEqual([
      {
        matches: [{ headers: [{ name: 'end-user', type: 'RegularExpression', value: 'j\\..*' }] }],
        backendRefs: [backend('reviews', 'v2')],
        timeouts: { request: '2s' },
      },
      {
        backendRefs: [backend('reviews', 'v1')],
        filters: [{ type: 'RequestMirror', requestMirror: { backendRef: backend('reviews', 'v3'), percent: 10 } }],
      },
    ]);
  });

  test.each([
    [
      'retries',
      [{ to: [{ subset: 'v1' }], retries: { attempts: 3 } }],
      /traffic\.routes\.reviews.*route #1 of reviews sets retries: the Gateway API's standard channel \(v1\.5\) has no retry policy/s,
    ],
    [
      'rules the Gateway API would reorder',
      [{ to: [{ subset: 'v1' }] }, { match: [{ uri: { exact: '/reviews/0' } }], to: [{ subset: 'v2' }] }],
      /route #2 of reviews has a more specific match than route #1.*put route #2 first/s,
    ],
    [
      'a timeout it cannot write',
      [{ to: [{ subset: 'v1' }], timeout: '0.5s' }],
      /timeout = "0\.5s": a Gateway API duration/,
    ],
    [
      'a backend version that does not run',
      [{ to: [{ subset: 'v9' }] }],
      /Invalid routes of HTTPRoute "reviews".*to\[0\]\.subset = "v9": is not a deployed version of reviews; deployed: v1, v2, v3/s,
    ],
  ])('%s: a synth error naming it', (_what, routes, message) => {
    expect(() => objectsOf(env({ routes: { reviews: routes } }))).toThrow(message);
  });
});

test("a service of one's own named like a version's Service is an error naming both", () => {
  const input = testEnvironmentInput((e) => {
    e.traffic = { ingress: 'gateway-api' };
    e.services = [{ name: 'reviews-v1', port: 8080, versions: [{ version: 'v1', image: 'example.com/r:1' }] }];
  });
  expect(() => objectsOf(loadEnvironments([input], {})[0])).toThrow(
    /the Service of reviews's version v1 "reviews-v1", which is the name of a service of this environment/,
  );
});
