import type { Manifest } from '../../kube/object';
import { TRAFFIC_PRESET_NAMES, type TrafficPresetName } from '../../config';
import { defaultEnvironment } from '../helpers/environments';
import { byName, objectsOf } from '../helpers/manifests';
import { appliedInOrder, CIRCUIT_BREAKING_TASK_POLICY, UPSTREAM_DESTINATION_RULES } from './upstream-bookinfo';

const withPreset = (preset: TrafficPresetName) => defaultEnvironment((e) => ({ ...e, traffic: { preset } }));

/** The upstream files each preset reproduces, in the order upstream's tasks apply them. */
const UPSTREAM_FILES: Record<TrafficPresetName, string[]> = {
  'all-v1': ['virtual-service-all-v1.yaml'],
  'reviews-v3': ['virtual-service-all-v1.yaml', 'virtual-service-reviews-v3.yaml'],
  'reviews-50-v3': ['virtual-service-all-v1.yaml', 'virtual-service-reviews-50-v3.yaml'],
  'reviews-80-20': ['virtual-service-all-v1.yaml', 'virtual-service-reviews-80-20.yaml'],
  'reviews-90-10': ['virtual-service-all-v1.yaml', 'virtual-service-reviews-90-10.yaml'],
  'reviews-v2-v3': ['virtual-service-all-v1.yaml', 'virtual-service-reviews-v2-v3.yaml'],
  'reviews-test-v2': ['virtual-service-all-v1.yaml', 'virtual-service-reviews-test-v2.yaml'],
  'reviews-jason-v2-v3': ['virtual-service-all-v1.yaml', 'virtual-service-reviews-jason-v2-v3.yaml'],
  // The fault injection task applies all-v1 and reviews-test-v2 first.
  'ratings-test-delay': [
    'virtual-service-all-v1.yaml',
    'virtual-service-reviews-test-v2.yaml',
    'virtual-service-ratings-test-delay.yaml',
  ],
  'ratings-test-abort': [
    'virtual-service-all-v1.yaml',
    'virtual-service-reviews-test-v2.yaml',
    'virtual-service-ratings-test-abort.yaml',
  ],
  'details-v2': ['virtual-service-all-v1.yaml', 'virtual-service-details-v2.yaml'],
  'details-fault': ['virtual-service-all-v1.yaml', 'fault-injection-details-v1.yaml'],
  'circuit-breaker': ['virtual-service-all-v1.yaml'],
};

/** Rules after a rule without a match never see a request; dropping them routes exactly the same. */
function withoutUnreachableRules(spec: Record<string, unknown>): Record<string, unknown> {
  const http = spec.http as { match?: unknown }[];
  const catchAll = http.findIndex((rule) => rule.match === undefined);
  return { ...spec, http: catchAll === -1 ? http : http.slice(0, catchAll + 1) };
}

/** The mesh routes (every VirtualService but the gateway's), by name. */
function meshRoutes(manifests: readonly Manifest[]): Record<string, unknown> {
  const routes = byName(manifests, 'VirtualService');
  routes.delete('bookinfo');
  return Object.fromEntries([...routes].map(([name, vs]) => [name, vs.spec]));
}

/** A route table in a line: `end-user=jason: v2 | v1 80%, v2 20% | abort 555 (100%), v1`. */
function summarize(vs: unknown): string {
  const rules = (vs as { http: Record<string, any>[] }).http;
  return rules
    .map((rule) => {
      const match = (rule.match ?? [])
        .map((m: { headers: Record<string, { exact: string }> }) =>
          Object.entries(m.headers)
            .map(([name, value]) => `${name}=${value.exact}`)
            .join(' '),
        )
        .join(' or ');
      const fault = [
        rule.fault?.delay && `delay ${rule.fault.delay.fixedDelay} (${rule.fault.delay.percentage.value}%)`,
        rule.fault?.abort && `abort ${rule.fault.abort.httpStatus} (${rule.fault.abort.percentage.value}%)`,
      ].filter(Boolean);
      const to = rule.route
        .map(
          (r: { destination: { subset: string }; weight?: number }) =>
            r.destination.subset + (r.weight === undefined ? '' : ` ${r.weight}%`),
        )
        .join(', ');
      return `${match ? `${match}: ` : ''}${[...fault, to].join(', ')}`;
    })
    .join(' | ');
}

/** VirtualServices and DestinationRules, by kind, name and spec. */
const networkingOf = (manifests: readonly Manifest[]) =>
  manifests
    .filter((m) => ['VirtualService', 'DestinationRule'].includes(m.kind))
    .map((m) => ({ kind: m.kind, name: m.metadata.name, spec: m.spec }));

const ALL_V1 = { productpage: 'v1', reviews: 'v1', ratings: 'v1', details: 'v1' };
const REVIEWS_TEST_V2 = 'end-user=jason: v2 | v1';

/** What each preset routes, service by service, stated by hand. */
const EXPECTED_ROUTES: Record<TrafficPresetName, Record<string, string>> = {
  'all-v1': ALL_V1,
  'reviews-v3': { ...ALL_V1, reviews: 'v3' },
  'reviews-50-v3': { ...ALL_V1, reviews: 'v1 50%, v3 50%' },
  'reviews-80-20': { ...ALL_V1, reviews: 'v1 80%, v2 20%' },
  'reviews-90-10': { ...ALL_V1, reviews: 'v1 90%, v2 10%' },
  'reviews-v2-v3': { ...ALL_V1, reviews: 'v2 50%, v3 50%' },
  'reviews-test-v2': { ...ALL_V1, reviews: REVIEWS_TEST_V2 },
  'reviews-jason-v2-v3': { ...ALL_V1, reviews: 'end-user=jason: v2 | v3' },
  'ratings-test-delay': { ...ALL_V1, reviews: REVIEWS_TEST_V2, ratings: 'end-user=jason: delay 7s (100%), v1 | v1' },
  'ratings-test-abort': { ...ALL_V1, reviews: REVIEWS_TEST_V2, ratings: 'end-user=jason: abort 500 (100%), v1 | v1' },
  'details-v2': { ...ALL_V1, details: 'v2' },
  'details-fault': { ...ALL_V1, details: 'abort 555 (100%), v1' },
  'circuit-breaker': ALL_V1,
};

describe.each(TRAFFIC_PRESET_NAMES.map((name) => [name]))('preset %s', (name) => {
  const env = withPreset(name);
  const manifests = objectsOf(env);
  const routes = meshRoutes(manifests);

  test('routes each service as stated', () => {
    const summaries = Object.fromEntries(Object.entries(routes).map(([service, spec]) => [service, summarize(spec)]));
    expect(summaries).toEqual(EXPECTED_ROUTES[name]);
  });

  test("carries the same routing as upstream's files, applied in the task's order", () => {
    const upstream = [...appliedInOrder(...UPSTREAM_FILES[name])].map(([service, spec]) => [
      service,
      withoutUnreachableRules(spec),
    ]);
    expect(routes).toEqual(Object.fromEntries(upstream));
  });

  test('every VirtualService names only subsets that its DestinationRule has', () => {
    const rules = byName(manifests, 'DestinationRule');
    for (const [service, spec] of Object.entries(routes)) {
      const subsets = (rules.get(service)!.spec as { subsets: { name: string }[] }).subsets.map((s) => s.name);
      const named = (spec as { http: { route: { destination: { subset: string } }[] }[] }).http.flatMap((r) =>
        r.route.map((d) => d.destination.subset),
      );
      expect(subsets).toEqual(expect.arrayContaining(named));
    }
  });

  test('snapshot of the routes and destination rules it changes from all-v1', () => {
    const baseline = new Set(networkingOf(objectsOf(withPreset('all-v1'))).map((o) => JSON.stringify(o)));
    const own = networkingOf(manifests);
    expect(name === 'all-v1' ? own : own.filter((o) => !baseline.has(JSON.stringify(o)))).toMatchSnapshot();
  });
});

describe('destination rules', () => {
  test("have one subset per deployed version, as upstream's destination-rule-all.yaml has for those versions", () => {
    const env = defaultEnvironment();
    const rules = byName(objectsOf(env), 'DestinationRule');
    expect([...rules.keys()].sort()).toEqual(['details', 'productpage', 'ratings', 'reviews']);
    for (const { name, spec } of UPSTREAM_DESTINATION_RULES) {
      const deployed = env.bookinfo.versions[name as keyof typeof env.bookinfo.versions];
      const upstreamSubsets = (spec.subsets as { name: string }[]).filter((s) => deployed.includes(s.name));
      expect(rules.get(name)!.spec).toEqual({ ...spec, subsets: upstreamSubsets });
    }
  });

  test('only the deployed versions get subsets (reviews v1 alone: one subset)', () => {
    const env = defaultEnvironment((e) => ({ ...e, bookinfo: { versions: { reviews: ['v1'] } } }));
    const reviews = byName(objectsOf(env), 'DestinationRule').get('reviews')!;
    expect(reviews.spec).toEqual({ host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
  });

  test("circuit-breaker puts the circuit-breaking task's policy on reviews, and only there", () => {
    const rules = byName(objectsOf(withPreset('circuit-breaker')), 'DestinationRule');
    expect((rules.get('reviews')!.spec as { trafficPolicy: unknown }).trafficPolicy).toEqual(
      CIRCUIT_BREAKING_TASK_POLICY,
    );
    for (const service of ['productpage', 'details', 'ratings'])
      expect(rules.get(service)!.spec).not.toHaveProperty('trafficPolicy');
  });

  test('other presets set no traffic policy', () => {
    for (const name of TRAFFIC_PRESET_NAMES.filter((n) => n !== 'circuit-breaker')) {
      for (const rule of byName(objectsOf(withPreset(name)), 'DestinationRule').values())
        expect(rule.spec).not.toHaveProperty('trafficPolicy');
    }
  });
});

describe('presets that need versions that upstream bookinfo.yaml does not deploy', () => {
  test('details-v2 deploys details v2 (and so gets its subset), leaving the other services as configured', () => {
    const env = withPreset('details-v2');
    expect(env.bookinfo.versions).toEqual({
      productpage: ['v1'],
      details: ['v1', 'v2'],
      ratings: ['v1'],
      reviews: ['v1', 'v2', 'v3'],
    });
    const details = byName(objectsOf(env), 'DestinationRule').get('details')!;
    expect(details.spec).toEqual(UPSTREAM_DESTINATION_RULES.find((r) => r.name === 'details')!.spec);
  });

  test('other presets deploy what the environment configures, no more', () => {
    for (const name of TRAFFIC_PRESET_NAMES.filter((n) => n !== 'details-v2')) {
      expect(withPreset(name).bookinfo.versions).toEqual(defaultEnvironment().bookinfo.versions);
    }
  });

  test('a preset that routes to a version the environment left out fails, naming the route and the version', () => {
    const run = () =>
      objectsOf(
        defaultEnvironment((e) => ({
          ...e,
          bookinfo: { versions: { reviews: ['v1', 'v3'] } },
          traffic: { preset: 'reviews-80-20' },
        })),
      );
    expect(run).toThrow(
      /VirtualService "reviews" route #1 to\[1\]\.subset = "v2": is not a deployed version of reviews; deployed: v1, v3/,
    );
  });
});
